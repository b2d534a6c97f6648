// The text the full-text indexes see, and queries spelled the same way.
//
// No engine's stock tokenizer splits Chinese, Japanese or Korean: a CJK run is one token, so a word inside a
// sentence ("数据库" in "我们的数据库备份很快") is never found. We index a derived text instead, where each CJK run
// becomes overlapping two-character tokens (数据 据库 库备 …) and a query becomes the phrase of its own bigrams.
// A run of n characters yields n tokens: its n-1 bigrams and its last character alone, so every character starts a
// token and a one-character query is a prefix query that finds every occurrence.
//
// MySQL/MariaDB InnoDB indexes no token shorter than innodb_ft_min_token_size (3 characters by default, and
// counted in characters: a 6-byte bigram is still too short) and drops its English stopwords; a `+stopword` in a
// boolean query then matches nothing. So for MySQL every token is padded with '_' (a word character there) to at
// least three characters, always with one: "数据_", "go__", "the_" are all indexed and none is a stopword.

/** Han (with 々), kana (with ー) and Hangul: the scripts written without spaces between words. */
const CJK_RUN = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+/gu;
const CJK_CHAR = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
/** Letters, digits and combining marks: everything else (punctuation, query syntax) separates words. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** At most this many terms of a query are looked for (a pasted paragraph stays cheap). */
export const MAX_QUERY_TERMS = 16;
/** At most this many tokens in one phrase of a query (see searchTerms). */
export const MAX_PHRASE_TOKENS = 32;

export interface SearchTextOptions {
  /** Pad tokens for InnoDB (see above). */
  padForInnoDb: boolean;
}

/** One thing a query looks for; every term must match. */
export type SearchTerm =
  /** Consecutive tokens (a Latin word is a phrase of one). */
  | { kind: 'phrase'; tokens: string[] }
  /** A single CJK character: any token starting with it. */
  | { kind: 'prefix'; prefix: string };

/** A word split into its CJK runs and the rest ("MySQL数据库" → ["MySQL", "数据库"]). */
function segments(word: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of word.matchAll(CJK_RUN)) {
    if (m.index > last) out.push(word.slice(last, m.index));
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < word.length) out.push(word.slice(last));
  return out;
}

function isCjk(segment: string): boolean {
  return CJK_CHAR.test(segment);
}

/** The n-1 bigrams of a run of n characters (code points, so no surrogate pair is split). */
function bigrams(chars: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

export function padToken(token: string): string {
  const length = Array.from(token).length;
  return token + '_'.repeat(Math.max(1, 3 - length));
}

/** The derived text an index holds for `text` (a title or a body). */
export function searchText(text: string, options: SearchTextOptions): string {
  const tokens: string[] = [];
  for (const word of text.normalize('NFKC').match(WORD) ?? []) {
    for (const segment of segments(word)) {
      if (!isCjk(segment)) {
        tokens.push(segment);
        continue;
      }
      const chars = Array.from(segment);
      tokens.push(...bigrams(chars), chars.at(-1)!);
    }
  }
  return (options.padForInnoDb ? tokens.map(padToken) : tokens).join(' ');
}

/** What a query looks for, in the index's own tokens (unpadded): empty when it holds no letters or digits. */
export function searchTerms(q: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const word of q.normalize('NFKC').match(WORD) ?? []) {
    for (const segment of segments(word)) {
      if (!isCjk(segment)) {
        terms.push({ kind: 'phrase', tokens: [segment] });
        continue;
      }
      const chars = Array.from(segment);
      if (chars.length === 1) {
        terms.push({ kind: 'prefix', prefix: segment });
        continue;
      }
      // A long run becomes several phrases, all required: InnoDB refuses a phrase of more than 128 words.
      const grams = bigrams(chars);
      for (let i = 0; i < grams.length; i += MAX_PHRASE_TOKENS) {
        terms.push({ kind: 'phrase', tokens: grams.slice(i, i + MAX_PHRASE_TOKENS) });
      }
    }
  }
  return terms.slice(0, MAX_QUERY_TERMS);
}
