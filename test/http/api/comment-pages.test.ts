import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { startApi, type ApiHarness } from '../../support/api.js';
import { publish, type Published } from '../site/helpers.js';

interface CommentPage {
  data: Array<{ id: number; name: string; body: string }>;
  meta: { page: number; limit: number; total: number; pages: number };
}

const APPROVED = 120;

describeEachDialect('comment pages (API and article page)', (dialect) => {
  let h: ApiHarness;
  let article: Published;
  let quiet: Published;

  beforeAll(async () => {
    h = await startApi(dialect, {}, { web: true });
    article = await publish(h, h.users.author, { title: 'Much discussed', markdown: 'Talk.' });
    quiet = await publish(h, h.users.author, { title: 'Nobody talks', markdown: 'Silence.' });
    const base = Date.parse('2026-01-01T00:00:00Z');
    // Approved comments a second apart (oldest is number 1), and some that must never show or count.
    const rows = Array.from({ length: APPROVED + 10 }, (_, i) => ({
      article_id: article.id,
      author_name: `Reader ${i + 1}`,
      author_email: `r${i}@example.com`,
      body: `Comment number ${i + 1}`,
      status: i < APPROVED ? ('approved' as const) : i % 2 ? ('pending' as const) : ('spam' as const),
      ip: '10.9.0.1',
      user_agent: null,
      created_at: new Date(base + i * 1000),
    }));
    await h.app.db.primary.insertInto('comments').values(rows).execute();
  });
  afterAll(() => h?.close());

  const get = (query = '') => h.call({ method: 'GET', url: `/api/articles/${article.id}/comments${query}` });

  it('API: pages of approved comments, oldest first, with the total; past the end is empty', async () => {
    const first = await get();
    expect(first.statusCode, first.body).toBe(200);
    const p1 = first.json<CommentPage>();
    expect(p1.meta).toEqual({ page: 1, limit: 50, total: APPROVED, pages: 3 });
    expect(p1.data).toHaveLength(50);
    expect(p1.data[0]!.body).toBe('Comment number 1');

    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const r = (await get(`?page=${page}&limit=25`)).json<CommentPage>();
      expect(r.meta).toMatchObject({ page, limit: 25, total: APPROVED, pages: 5 });
      seen.push(...r.data.map((c) => c.body));
    }
    expect(seen).toEqual(Array.from({ length: APPROVED }, (_, i) => `Comment number ${i + 1}`));

    const past = (await get('?page=6&limit=25')).json<CommentPage>();
    expect(past).toEqual({ data: [], meta: { page: 6, limit: 25, total: APPROVED, pages: 5 } });
    const none = await h.call({ method: 'GET', url: `/api/articles/${quiet.id}/comments` });
    expect(none.json()).toEqual({ data: [], meta: { page: 1, limit: 50, total: 0, pages: 0 } });
  });

  it('API: bad paging parameters are a 400 envelope', async () => {
    for (const q of [
      '?page=0',
      '?page=-1',
      '?page=abc',
      '?page=1.5',
      '?limit=0',
      '?limit=101',
      '?limit=x',
      '?sort=1',
    ]) {
      const r = await get(q);
      expect(r.statusCode, q).toBe(400);
      expect(r.json(), q).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('article page: fifty comments a page, the total in the heading, plain links between pages', async () => {
    const path = `/articles/${encodeURIComponent(article.slug)}`;
    const one = await h.call({ method: 'GET', url: path });
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain(`${APPROVED} comments</h2>`);
    expect(one.body.match(/<li class="comment"/g)).toHaveLength(50);
    expect(one.body).toContain('Comment number 1<');
    expect(one.body).not.toContain('Comment number 51<');
    expect(one.body).toContain(`rel="next" href="${path}?page=2#comments"`);
    expect(one.body).not.toContain('rel="prev"');

    const three = await h.call({ method: 'GET', url: `${path}?page=3` });
    expect(three.statusCode).toBe(200);
    expect(three.body.match(/<li class="comment"/g)).toHaveLength(APPROVED - 100);
    expect(three.body).toContain('<ol class="comments" start="101">');
    expect(three.body).toContain('Comment number 101<');
    expect(three.body).toContain(`rel="prev" href="${path}?page=2#comments"`);
    expect(three.body).not.toContain('rel="next"');
    expect(three.body).toContain('Comments page 3 of 3');
    // The article itself is on every page.
    expect(three.body).toContain('<h1>Much discussed</h1>');

    expect((await h.call({ method: 'GET', url: `${path}?page=4` })).statusCode).toBe(404);
    for (const bad of ['abc', '0', '-2']) {
      expect((await h.call({ method: 'GET', url: `${path}?page=${bad}` })).statusCode, bad).toBe(400);
    }
    const quietPage = await h.call({ method: 'GET', url: `/articles/${encodeURIComponent(quiet.slug)}` });
    expect(quietPage.body).toContain('0 comments</h2>');
    expect(quietPage.body).not.toContain('Comment pages');
  });
});
