import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { startApi, type ApiHarness } from '../../support/api.js';
import { cardTitles, formBody, meta, publish, type Published } from './helpers.js';

const HOSTILE = `<script>alert(1)</script> & "quotes" 'single'`;
const NOINDEX = /<meta name="robots" content="noindex"\s*\/?>/;
const CJK_TITLE = '中文标题：数据库备份 指南';

describeEachDialect('public site pages', (dialect) => {
  let h: ApiHarness;
  let hostile: Published;
  let cjk: Published;
  let draftSlug: string;
  const plain: Published[] = [];

  beforeAll(async () => {
    h = await startApi(dialect, { APP_URL: 'https://blog.example.com', APP_NAME: 'Inkstone Test' }, { web: true });
    for (let i = 1; i <= 10; i++) {
      plain.push(
        await publish(h, h.users.author, { title: `Plain article ${i}`, markdown: `Body ${i}`, tags: ['ops'] }),
      );
    }
    hostile = await publish(h, h.users.author2, { title: HOSTILE, markdown: 'Hostile <img src=x onerror=alert(1)>' });
    cjk = await publish(h, h.users.author2, {
      title: CJK_TITLE,
      markdown: '这是一篇关于数据库备份的文章。\n\n数据库备份 很重要。',
      tags: ['数据库'],
    });
    const draft = await h.call({
      method: 'POST',
      url: '/api/articles',
      as: h.users.author,
      payload: { title: 'Secret draft', markdown: 'not yet' },
    });
    draftSlug = draft.json<{ slug: string }>().slug;
  });
  afterAll(() => h?.close());

  it('home lists live articles newest first, ten a page, with post cards and pagination', async () => {
    const first = await h.call({ method: 'GET', url: '/' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(cardTitles(first.body)).toEqual([
      CJK_TITLE,
      HOSTILE,
      ...plain
        .slice(2)
        .map((a) => a.title)
        .reverse(),
    ]);
    expect(first.body).toContain('rel="next" href="/?page=2"');
    expect(first.body).not.toContain('Secret draft');
    const second = await h.call({ method: 'GET', url: '/?page=2' });
    expect(cardTitles(second.body)).toEqual(['Plain article 2', 'Plain article 1']);
    expect(meta(second.body, 'canonical')).toBe('https://blog.example.com/?page=2');
  });

  it('refuses a malformed page number with an HTML 400 and a page past the end with a 404', async () => {
    for (const bad of ['abc', '0', '-1', '1.5', '99999999']) {
      const r = await h.call({ method: 'GET', url: `/?page=${bad}` });
      expect(r.statusCode, bad).toBe(400);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('<h1>Bad request</h1>');
    }
    const past = await h.call({ method: 'GET', url: '/?page=3' });
    expect(past.statusCode).toBe(404);
    expect(past.body).toContain('<h1>Page not found</h1>');
  });

  it('article page: title, body, meta description, canonical, OpenGraph and Twitter tags, comments section', async () => {
    const r = await h.call({ method: 'GET', url: `/articles/${encodeURIComponent(cjk.slug)}` });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain(`<h1>${CJK_TITLE}</h1>`);
    expect(r.body).toContain('<html lang="zh">');
    expect(r.body).toContain('<section id="comments"');
    expect(r.body).toContain('这是一篇关于数据库备份的文章。');
    const canonical = `https://blog.example.com/articles/${encodeURIComponent(cjk.slug)}`;
    expect(meta(r.body, 'canonical')).toBe(canonical);
    expect(meta(r.body, 'og:url')).toBe(canonical);
    expect(meta(r.body, 'og:type')).toBe('article');
    expect(meta(r.body, 'og:title')).toBe(CJK_TITLE);
    expect(meta(r.body, 'twitter:title')).toBe(CJK_TITLE);
    expect(meta(r.body, 'description')).toContain('这是一篇关于数据库备份的文章');
    expect(r.body).toMatch(/<time datetime="\d{4}-\d\d-\d\dT[\d:.]+Z">\d{1,2} \w+ \d{4}<\/time>/);
    expect(r.body).toContain(`href="/tags/${encodeURIComponent('数据库')}"`);
  });

  it('escapes hostile titles everywhere and keeps the sanitized body free of script', async () => {
    const r = await h.call({ method: 'GET', url: `/articles/${hostile.slug}` });
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toContain('<script>alert(1)');
    expect(r.body).not.toContain('onerror');
    expect(r.body).toContain(
      '<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; &#39;single&#39;</h1>',
    );
    expect(meta(r.body, 'og:title')).toBe(HOSTILE);
    const home = await h.call({ method: 'GET', url: '/' });
    expect(home.body).not.toContain('<script>alert(1)');
  });

  it('404 page for an unknown or unpublished article, tag, author, and any unknown path', async () => {
    for (const url of [
      '/articles/no-such-article',
      `/articles/${draftSlug}`,
      '/tags/no-such-tag',
      '/authors/987654',
      '/authors/not-a-number',
      '/no/such/page',
    ]) {
      const r = await h.call({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(r.body, url).toContain('<h1>Page not found</h1>');
      expect(r.body).toMatch(NOINDEX);
    }
    // Machines' paths keep the JSON envelope.
    const api = await h.call({ method: 'GET', url: '/api/no-such-route' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('tag page lists that tag (Chinese slug by its percent-encoded address)', async () => {
    const r = await h.call({ method: 'GET', url: `/tags/${encodeURIComponent('数据库')}` });
    expect(r.statusCode).toBe(200);
    expect(cardTitles(r.body)).toEqual([CJK_TITLE]);
    expect(r.body).toContain(`/tags/${encodeURIComponent('数据库')}/feed.xml`);
    const ops = await h.call({ method: 'GET', url: '/tags/ops' });
    expect(cardTitles(ops.body)).toHaveLength(10);
  });

  it('author page lists that author only', async () => {
    const r = await h.call({ method: 'GET', url: `/authors/${h.users.author2.id}` });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<h1>author2</h1>');
    expect(cardTitles(r.body)).toEqual([CJK_TITLE, HOSTILE]);
  });

  it('search: Chinese words find the Chinese article; empty and punctuation-only queries show nothing', async () => {
    const found = await h.call({ method: 'GET', url: `/search?q=${encodeURIComponent('数据库备份')}` });
    expect(found.statusCode).toBe(200);
    expect(cardTitles(found.body)).toEqual([CJK_TITLE]);
    expect(found.body).toContain('Results for “数据库备份”');
    expect(found.body).toMatch(NOINDEX);
    for (const q of ['', '%20%20', encodeURIComponent('"*()<>')]) {
      const r = await h.call({ method: 'GET', url: `/search?q=${q}` });
      expect(r.statusCode, q).toBe(200);
      expect(cardTitles(r.body)).toEqual([]);
    }
    const none = await h.call({ method: 'GET', url: '/search' });
    expect(none.statusCode).toBe(200);
    const hostileQuery = await h.call({ method: 'GET', url: `/search?q=${encodeURIComponent('<script>x</script>')}` });
    expect(hostileQuery.body).not.toContain('<script>x');
  });

  it('comment form: 303 back to the article when accepted, 422 with the form and its errors when not', async () => {
    const url = `/articles/${plain[0]!.slug}/comments`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const ok = await h.call({
      method: 'POST',
      url,
      headers,
      payload: formBody({
        name: 'Reader <b>',
        email: 'reader@example.com',
        body: 'Nice <script>x</script>',
        website: '',
      }),
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/articles/${plain[0]!.slug}?comment=pending#comments`);
    const after = await h.call({ method: 'GET', url: `/articles/${plain[0]!.slug}?comment=pending` });
    expect(after.body).toContain('your comment waits for moderation');

    const bad = await h.call({
      method: 'POST',
      url,
      headers,
      payload: formBody({ name: '', email: 'not-an-email', body: 'kept "text" <i>' }),
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(bad.body).toContain('id="name-error"');
    expect(bad.body).toContain('id="email-error"');
    expect(bad.body).not.toContain('id="body-error"');
    expect(bad.body).toContain('kept &quot;text&quot; &lt;i&gt;</textarea>');

    const missing = await h.call({ method: 'POST', url: '/articles/no-such/comments', headers, payload: 'name=a' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('<h1>Page not found</h1>');
  });
});
