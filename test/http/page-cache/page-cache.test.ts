import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startApi, type ApiHarness } from '../../support/api.js';
import { cardTitles, createDraft, formBody, publish, type Published } from '../site/helpers.js';
import { strongEtag } from '../../../src/http/page-cache/etag.js';

const PUBLIC = 'public, max-age=0, s-maxage=60, stale-while-revalidate=600';

describe('page cache (memory driver)', () => {
  let h: ApiHarness;
  let first: Published;

  beforeAll(async () => {
    h = await startApi('sqlite', {}, { web: true });
    first = await publish(h, h.users.author, { title: 'First post', markdown: 'Hello', tags: ['ops'] });
  });
  afterAll(() => h?.close());

  it('renders once, then serves the stored bytes: same body and strong ETag, X-Cache MISS then HIT', async () => {
    const miss = await h.call({ method: 'GET', url: '/?utm=1&page=1' });
    expect(miss.statusCode).toBe(200);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(miss.headers['cache-control']).toBe(PUBLIC);
    expect(miss.headers.etag).toMatch(/^"[\w-]{20,}"$/);
    // The same query in another order is the same page.
    const hit = await h.call({ method: 'GET', url: '/?page=1&utm=1' });
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(hit.headers['cache-control']).toBe(PUBLIC);
    expect(hit.body).toBe(miss.body);
    // A hit is written straight to the socket: it still carries the request id the server's hook set.
    const traced = await h.call({ method: 'GET', url: '/?page=1&utm=1', headers: { 'x-request-id': 'hit-1' } });
    expect(traced.headers['x-cache']).toBe('HIT');
    expect(traced.headers['x-request-id']).toBe('hit-1');
    const head = await h.call({ method: 'HEAD', url: '/?page=1&utm=1' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('stores a page as its bytes (CJK intact) with a precomputed length; an entry in an older format is a miss', async () => {
    const cjk = await publish(h, h.users.author, { title: '中文标题', markdown: '你好，世界' });
    const miss = await h.call({ method: 'GET', url: `/articles/${cjk.slug}` });
    const hit = await h.call({ method: 'GET', url: `/articles/${cjk.slug}` });
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body).toBe(miss.body);
    expect(hit.body).toContain('你好，世界');
    expect(Number(hit.headers['content-length'])).toBe(Buffer.byteLength(miss.body));
    // The render's bytes are encoded once: the ETag is the hash of exactly what was sent, with its length and type.
    expect(miss.headers.etag).toBe(strongEtag(Buffer.from(miss.body, 'utf8')));
    expect(Number(miss.headers['content-length'])).toBe(Buffer.byteLength(miss.body));
    expect(miss.headers['content-type']).toBe('text/html; charset=utf-8');
    const api = await h.call({ method: 'GET', url: `/api/articles/${cjk.id}` });
    expect(api.headers['x-cache']).toBe('MISS');
    expect(api.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(api.headers.etag).toBe(strongEtag(Buffer.from(api.body, 'utf8')));
    expect(api.json<{ title: string }>().title).toBe('中文标题');
    // Gone again, so the listings the next tests check hold what they expect.
    const removed = await h.call({ method: 'DELETE', url: `/api/articles/${cjk.id}`, as: h.users.author });
    expect(removed.statusCode).toBe(204);
    // What the previous version stored (a JSON object) must not be sent as a page: it renders afresh instead.
    await h.app.cache.set('page:/?old=1', { b: 'stale', e: '"old"', t: 'text/plain' });
    const old = await h.call({ method: 'GET', url: '/?old=1' });
    expect(old.statusCode).toBe(200);
    expect(old.headers['x-cache']).toBe('MISS');
    expect(old.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await h.call({ method: 'GET', url: '/?old=1' })).headers['x-cache']).toBe('HIT');
  });

  it('answers 304 without a body to a matching If-None-Match, from the cache and on a fresh render', async () => {
    const page = await h.call({ method: 'GET', url: `/articles/${first.slug}` });
    const etag = page.headers.etag as string;
    const cached = await h.call({ method: 'GET', url: `/articles/${first.slug}`, headers: { 'if-none-match': etag } });
    expect(cached.statusCode).toBe(304);
    expect(cached.headers['x-cache']).toBe('HIT');
    expect(cached.body).toBe('');
    const listed = await h.call({
      method: 'GET',
      url: `/articles/${first.slug}?fresh=1`,
      headers: { 'if-none-match': `"other", W/${etag}` },
    });
    expect(listed.statusCode).toBe(304);
    expect(listed.headers['x-cache']).toBe('MISS');
    const stale = await h.call({
      method: 'GET',
      url: `/articles/${first.slug}`,
      headers: { 'if-none-match': '"old"' },
    });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toBe(page.body);
  });

  it('never shares what signed-in requests see: Authorization or a session cookie bypass the cache', async () => {
    await h.call({ method: 'GET', url: '/tags/ops' });
    const bearer = await h.call({ method: 'GET', url: '/tags/ops', as: h.users.editor });
    expect(bearer.headers['x-cache']).toBe('BYPASS');
    expect(bearer.headers['cache-control']).toBe('private, no-cache');
    const cookie = await h.call({ method: 'GET', url: '/tags/ops', headers: { cookie: 'a=1; inkstone_session=abc' } });
    expect(cookie.headers['x-cache']).toBe('BYPASS');
    const otherCookie = await h.call({ method: 'GET', url: '/tags/ops', headers: { cookie: 'theme=dark' } });
    expect(otherCookie.headers['x-cache']).toBe('HIT');
  });

  it('does not keep error pages', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await h.call({ method: 'GET', url: '/articles/not-there' });
      expect(r.statusCode).toBe(404);
      expect(r.headers['x-cache']).toBeUndefined();
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });

  it('publishing shows on the home page, tag page and feeds at once', async () => {
    for (const url of ['/', '/tags/ops', '/feed.xml', '/sitemap.xml', '/api/articles']) {
      await h.call({ method: 'GET', url });
      expect((await h.call({ method: 'GET', url })).headers['x-cache'], url).toBe('HIT');
    }
    const second = await publish(h, h.users.author, { title: 'Second post', markdown: 'More', tags: ['ops'] });
    const home = await h.call({ method: 'GET', url: '/' });
    expect(home.headers['x-cache']).toBe('MISS');
    expect(cardTitles(home.body)).toEqual(['Second post', 'First post']);
    expect(cardTitles((await h.call({ method: 'GET', url: '/tags/ops' })).body)).toEqual(['Second post', 'First post']);
    expect((await h.call({ method: 'GET', url: '/feed.xml' })).body).toContain('<title>Second post</title>');
    expect((await h.call({ method: 'GET', url: '/sitemap.xml' })).body).toContain(`/articles/${second.slug}<`);
    const api = await h.call({ method: 'GET', url: '/api/articles' });
    expect(api.headers['x-cache']).toBe('MISS');
    expect(api.json<{ data: Array<{ title: string }> }>().data.map((a) => a.title)).toEqual([
      'Second post',
      'First post',
    ]);
  });

  it('an edit shows on the article page; deleting it makes the page a 404', async () => {
    const a = await publish(h, h.users.author, { title: 'Will change', markdown: 'v1' });
    expect((await h.call({ method: 'GET', url: `/articles/${a.slug}` })).body).toContain('<p>v1</p>');
    expect((await h.call({ method: 'GET', url: `/articles/${a.slug}` })).headers['x-cache']).toBe('HIT');
    await h.call({ method: 'PATCH', url: `/api/articles/${a.id}`, as: h.users.author, payload: { markdown: 'v2' } });
    const edited = await h.call({ method: 'GET', url: `/articles/${a.slug}` });
    expect(edited.headers['x-cache']).toBe('MISS');
    expect(edited.body).toContain('<p>v2</p>');
    await h.call({ method: 'DELETE', url: `/api/articles/${a.id}`, as: h.users.author });
    expect((await h.call({ method: 'GET', url: `/articles/${a.slug}` })).statusCode).toBe(404);
  });

  it('approving a comment shows it on the article page at once', async () => {
    const url = `/articles/${first.slug}`;
    await h.call({ method: 'GET', url });
    const posted = await h.call({
      method: 'POST',
      url: `${url}/comments`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ name: 'Mallory', email: 'm@example.com', body: '<img src=x onerror=alert(1)> 好文章' }),
    });
    expect(posted.statusCode).toBe(303);
    // Pending comments are not shown, and the cached page is still good.
    const before = await h.call({ method: 'GET', url });
    expect(before.headers['x-cache']).toBe('HIT');
    expect(before.body).not.toContain('好文章');
    const pending = await h.call({ method: 'GET', url: '/api/comments?status=pending', as: h.users.editor });
    const id = pending.json<{ data: Array<{ id: number }> }>().data[0]!.id;
    expect((await h.call({ method: 'POST', url: `/api/comments/${id}/approve`, as: h.users.editor })).statusCode).toBe(
      200,
    );
    const after = await h.call({ method: 'GET', url });
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body).toContain('&lt;img src=x onerror=alert(1)&gt; 好文章');
    expect(after.body).not.toContain('<img src=x');
    expect(after.body).toContain('1 comment');
  });

  it('renaming a tag shows on its pages at once (the old address is gone)', async () => {
    const tags = await h.call({ method: 'GET', url: '/api/tags' });
    const ops = tags.json<{ data: Array<{ id: number; slug: string }> }>().data.find((t) => t.slug === 'ops')!;
    const article = `/articles/${first.slug}`;
    await h.call({ method: 'GET', url: article });
    expect((await h.call({ method: 'GET', url: '/tags/ops' })).statusCode).toBe(200);
    const renamed = await h.call({
      method: 'PATCH',
      url: `/api/tags/${ops.id}`,
      as: h.users.editor,
      payload: { name: 'Operations' },
    });
    expect(renamed.statusCode).toBe(200);
    expect((await h.call({ method: 'GET', url: '/tags/ops' })).statusCode).toBe(404);
    const page = await h.call({ method: 'GET', url: '/tags/operations' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tagged “Operations”');
    const articlePage = await h.call({ method: 'GET', url: article });
    expect(articlePage.headers['x-cache']).toBe('MISS');
    expect(articlePage.body).toContain('href="/tags/operations"');
  });

  it('caches anonymous API reads, but an editor still reads a draft by id (responses vary by credentials)', async () => {
    const { id } = await createDraft(h, h.users.author, { title: 'Draft for editors', markdown: 'x' });
    for (let i = 0; i < 2; i++)
      expect((await h.call({ method: 'GET', url: `/api/articles/${id}` })).statusCode).toBe(404);
    const editor = await h.call({ method: 'GET', url: `/api/articles/${id}`, as: h.users.editor });
    expect(editor.statusCode).toBe(200);
    expect(editor.headers['x-cache']).toBe('BYPASS');
    const byId = await h.call({ method: 'GET', url: `/api/articles/${first.id}` });
    const again = await h.call({ method: 'GET', url: `/api/articles/${first.id}` });
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.headers.vary).toBe('Authorization, Cookie');
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(again.json()).toEqual(byId.json());
  });

  it('serves fingerprinted assets immutable, with 304 and 404', async () => {
    const home = await h.call({ method: 'GET', url: '/' });
    const href = /<link rel="stylesheet" href="(\/assets\/site\.[0-9a-f]{12}\.css)"/.exec(home.body)![1]!;
    const css = await h.call({ method: 'GET', url: href });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.body).toContain('.post-card');
    const again = await h.call({ method: 'GET', url: href, headers: { 'if-none-match': css.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect((await h.call({ method: 'GET', url: '/assets/site.000000000000.css' })).statusCode).toBe(404);
  });

  it('a failure while rendering is a plain 500 page that never shows the error', async () => {
    const broken = await startApi('sqlite', {}, { web: true });
    try {
      const a = await publish(broken, broken.users.author, { title: 'Broken', markdown: 'x' });
      await sql`drop table comments`.execute(broken.app.db.primary);
      const r = await broken.call({ method: 'GET', url: `/articles/${a.slug}` });
      expect(r.statusCode).toBe(500);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.body).toContain('<h1>Something went wrong</h1>');
      expect(r.body).not.toMatch(/no such table|SqliteError|\.ts:\d+|\n\s+at /);
    } finally {
      await broken.close();
    }
  });
});

describe('page cache off (HTTP_CACHE=false)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi('sqlite', { HTTP_CACHE: 'false' }, { web: true });
    await publish(h, h.users.author, { title: 'Only post', markdown: 'x' });
  });
  afterAll(() => h?.close());

  it('renders every request, keeps nothing, and still answers ETag / 304', async () => {
    const a = await h.call({ method: 'GET', url: '/' });
    const b = await h.call({ method: 'GET', url: '/' });
    expect([a.headers['x-cache'], b.headers['x-cache']]).toEqual(['OFF', 'OFF']);
    expect(b.headers.etag).toBe(a.headers.etag);
    expect(b.headers['cache-control']).toBe(PUBLIC);
    const api = await h.call({ method: 'GET', url: '/api/articles' });
    expect(api.headers['x-cache']).toBe('OFF');
    expect(await h.app.cache.get('page:/')).toBeUndefined();
    const notModified = await h.call({
      method: 'GET',
      url: '/',
      headers: { 'if-none-match': a.headers.etag as string },
    });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
  });
});
