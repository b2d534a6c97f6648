// Text helpers for pages and feeds; they count characters (code points), so CJK text is never cut mid-character.

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;

/** At most `max` characters, cut at a character boundary (never inside a surrogate pair), with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= max
    ? chars.join('')
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** A `lang` for text written in Chinese, Japanese or Korean (browsers pick fonts and line breaking by it). */
export function cjkLang(text: string): string | undefined {
  if (KANA.test(text)) return 'ja';
  if (HANGUL.test(text)) return 'ko';
  if (HAN.test(text)) return 'zh';
  return undefined;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** The month names the format writes ("November"), taken from it once. */
const MONTHS = Array.from(
  { length: 12 },
  (_, m) => dateFormat.formatToParts(Date.UTC(2000, m, 1)).find((p) => p.type === 'month')!.value,
);

/**
 * "25 November 2026" (UTC, so every instance and cache entry agrees). Put together by hand, with the month names
 * Intl gives, for the years 1000–9999: Intl's format takes 1.7 µs a call on Node 20, and a page of cards has a date
 * on each (the hand-made text is the same: test/http/site/text.test.ts).
 */
export function humanDate(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return dateFormat.format(date);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]!} ${year}`;
}

// Characters XML 1.0 forbids (C0 controls other than tab, newline and return; lone surrogates; U+FFFE/FFFF).
const XML_INVALID =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an XML element or attribute: escaped, and without characters XML cannot carry. */
export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}
