import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, html, trusted } from '../../../src/http/site/html.js';
import { cjkLang, escapeXml, humanDate, truncate } from '../../../src/http/site/text.js';
import { pageKey } from '../../../src/http/page-cache/cache-key.js';
import { matchesIfNoneMatch, strongEtag } from '../../../src/http/page-cache/etag.js';

describe('html template', () => {
  it('escapes every interpolation unless it is already safe', () => {
    const hostile = `<script>alert("x")</script>&'`;
    // prettier-ignore
    const out = html`<p title="${hostile}">${hostile}</p>${trusted('<b>ok</b>')}`.value;
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p><b>ok</b>',
    );
  });

  it('joins arrays, drops null/undefined/false, prints numbers, and never prints [object Object]', () => {
    const inner = html`<i>${'<'}</i>`;
    expect(html`${[inner, 'a&b', 3]}${null}${undefined}${false}${{ a: '<' }}`.value).toBe(
      '<i>&lt;</i>a&amp;b3{&quot;a&quot;:&quot;&lt;&quot;}',
    );
  });

  it('leaves no markup characters in any escaped string', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(escapeHtml(s)).not.toMatch(/[<>"']/);
      }),
    );
  });
});

describe('text helpers', () => {
  it('cuts CJK and emoji at character boundaries, never inside a surrogate pair', () => {
    expect(truncate('中文标题很长很长', 5)).toBe('中文标题…');
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncate('短', 5)).toBe('短');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 2, max: 30 }), (s, max) => {
        const cut = truncate(s, max);
        expect(Array.from(cut).length).toBeLessThanOrEqual(Math.max(max, Array.from(s).length));
        // A lone surrogate would be a broken character.
        expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      }),
    );
  });

  it('names the language of CJK text', () => {
    expect(cjkLang('你好世界')).toBe('zh');
    expect(cjkLang('こんにちは')).toBe('ja');
    expect(cjkLang('안녕하세요')).toBe('ko');
    expect(cjkLang('hello')).toBeUndefined();
  });

  it('writes dates in UTC', () => {
    expect(humanDate(new Date('2026-01-31T23:30:00Z'))).toBe('31 January 2026');
  });

  it('writes every date as Intl does (the hand-made years and the years left to Intl)', () => {
    const intl = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (t) => humanDate(new Date(t)) === intl.format(t)),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }),
        (t) => humanDate(new Date(t)) === intl.format(t),
      ),
      { numRuns: 5_000 },
    );
    expect(humanDate(new Date('0999-12-31T23:59:59.999Z'))).toBe(intl.format(new Date('0999-12-31T23:59:59.999Z')));
  });

  it('escapes XML and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`a&b<c>"d"'e'\u0001\uFFFE中`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;中');
    expect(escapeXml('x\uD800y😀')).toBe('xy😀');
  });
});

describe('page cache keys and validators', () => {
  it('sorts query parameters so equal queries share an entry', () => {
    expect(pageKey('/')).toBe('page:/');
    expect(pageKey('/search?page=2&q=a')).toBe(pageKey('/search?q=a&page=2'));
    expect(pageKey('/search?')).toBe('page:/search');
    expect(pageKey('/search?q=%E4%B8%AD')).toBe(pageKey('/search?q=中'));
    expect(pageKey('/search?q=a')).not.toBe(pageKey('/search?q=b'));
  });

  it('matches If-None-Match lists, weak forms and *', () => {
    const tag = strongEtag('hello');
    // SHA-1 in base64url: the same tag every instance and every version gives for the same bytes.
    expect(tag).toBe('"qvTGHdzF6KLavt4PO0gs2a6pQ00"');
    expect(strongEtag('中文')).toBe('"e-LS0gwQbu4INsm8K5OYkKeOj7M"');
    expect(strongEtag(Buffer.from('hello'))).toBe(tag);
    expect(strongEtag('hellO')).not.toBe(tag);
    expect(matchesIfNoneMatch(tag, tag)).toBe(true);
    expect(matchesIfNoneMatch(`"x", W/${tag}`, tag)).toBe(true);
    expect(matchesIfNoneMatch('*', tag)).toBe(true);
    expect(matchesIfNoneMatch('"x"', tag)).toBe(false);
    expect(matchesIfNoneMatch(undefined, tag)).toBe(false);
  });
});
