import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { startApi, type ApiHarness } from '../../support/api.js';

interface ArticleBody {
  id: number;
  slug: string;
  status: string;
  html: string;
  excerpt: string;
  readingMinutes: number;
  publishedAt: string | null;
  tags: Array<{ name: string; slug: string }>;
  author: { id: number; name: string };
}

describeEachDialect('articles API', (dialect) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => {
    await api?.close();
  });

  const create = async (title: string, markdown = 'Body text.', tags: string[] = []) => {
    const res = await api.call({
      method: 'POST',
      url: '/api/articles',
      as: api.users.author,
      payload: { title, markdown, tags },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ArticleBody>();
  };

  it('creates a draft with rendered, sanitized HTML, excerpt, reading time, tags made on the fly', async () => {
    const a = await create('Hello World', '# Hi\n\n<script>alert(1)</script>Some **text**.', ['DevOps', '运维']);
    expect(a).toMatchObject({ slug: 'hello-world', status: 'draft', publishedAt: null, readingMinutes: 1 });
    expect(a.html).toContain('<h1>Hi</h1>');
    expect(a.html).not.toContain('<script');
    expect(a.excerpt).toContain('Hi');
    expect(a.tags.map((t) => t.slug).sort()).toEqual(['devops', '运维']);
    expect(a.author).toEqual({ id: api.users.author.id, name: 'author' });
  });

  it('makes unique, readable slugs, Chinese included', async () => {
    const b = await create('Hello World');
    expect(b.slug).toBe('hello-world-2');
    const zh = await create('实战：数据库迁移');
    expect(zh.slug).toBe('实战-数据库迁移');
    const zh2 = await create('实战：数据库迁移');
    expect(zh2.slug).toBe('实战-数据库迁移-2');
  });

  it('a long Chinese slug is found by its percent-encoded address', async () => {
    const a = await create('长'.repeat(110));
    await api.call({ method: 'POST', url: `/api/articles/${a.id}/publish`, as: api.users.author });
    const res = await api.call({ method: 'GET', url: `/api/articles/${encodeURIComponent(a.slug)}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ArticleBody>().id).toBe(a.id);
    await api.call({ method: 'DELETE', url: `/api/articles/${a.id}`, as: api.users.author });
  });

  it('a draft is invisible to the public and to other authors, visible to its author and editors', async () => {
    const a = await create('Secret draft');
    expect((await api.call({ method: 'GET', url: `/api/articles/${a.id}` })).statusCode).toBe(404);
    expect((await api.call({ method: 'GET', url: `/api/articles/${a.slug}`, as: api.users.author2 })).statusCode).toBe(
      404,
    );
    expect((await api.call({ method: 'GET', url: `/api/articles/${a.id}`, as: api.users.author })).statusCode).toBe(
      200,
    );
    expect((await api.call({ method: 'GET', url: `/api/articles/${a.id}`, as: api.users.editor })).statusCode).toBe(
      200,
    );
    const other = await api.call({
      method: 'PATCH',
      url: `/api/articles/${a.id}`,
      as: api.users.author2,
      payload: { title: 'x' },
    });
    expect(other.statusCode).toBe(404);
  });

  it('publishes now, schedules for later, unpublishes; lists and filters live ones newest first', async () => {
    const a = await create('First live post', 'one', ['Alpha']);
    const pub = await api.call({ method: 'POST', url: `/api/articles/${a.id}/publish`, as: api.users.author });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(pub.json<ArticleBody>().status).toBe('published');
    const b = await create('Second live post', 'two', ['Beta']);
    await api.call({ method: 'POST', url: `/api/articles/${b.id}/publish`, as: api.users.editor, payload: {} });
    const c = await create('Future post', 'three', ['Alpha']);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const sched = await api.call({
      method: 'POST',
      url: `/api/articles/${c.id}/publish`,
      as: api.users.author,
      payload: { at },
    });
    expect(sched.json<ArticleBody>()).toMatchObject({ status: 'scheduled', publishedAt: at });

    const list = await api.call({ method: 'GET', url: '/api/articles?limit=10' });
    expect(list.statusCode).toBe(200);
    const body = list.json<{ data: ArticleBody[]; meta: { total: number; page: number; limit: number } }>();
    expect(body.data.map((x) => x.slug)).toEqual(['second-live-post', 'first-live-post']);
    expect(body.meta).toMatchObject({ total: 2, page: 1, limit: 10 });
    const tagged = await api.call({ method: 'GET', url: '/api/articles?tag=alpha' });
    expect(tagged.json<{ data: ArticleBody[] }>().data.map((x) => x.slug)).toEqual(['first-live-post']);
    const byAuthor = await api.call({ method: 'GET', url: `/api/articles?author=${api.users.author.id}` });
    expect(byAuthor.json<{ meta: { total: number } }>().meta.total).toBe(2);
    const paged = await api.call({ method: 'GET', url: '/api/articles?limit=1&page=2' });
    expect(paged.json<{ data: ArticleBody[] }>().data.map((x) => x.slug)).toEqual(['first-live-post']);

    expect((await api.call({ method: 'GET', url: `/api/articles/${c.slug}` })).statusCode).toBe(404);
    const un = await api.call({ method: 'POST', url: `/api/articles/${a.id}/unpublish`, as: api.users.author });
    expect(un.json<ArticleBody>().status).toBe('draft');
    expect(
      (await api.call({ method: 'GET', url: '/api/articles' })).json<{ meta: { total: number } }>().meta.total,
    ).toBe(1);
  });

  it('a scheduled article goes live by itself once its time has come (checked on read)', async () => {
    const a = await create('Soon live');
    const at = new Date(Date.now() + 1500).toISOString();
    await api.call({ method: 'POST', url: `/api/articles/${a.id}/publish`, as: api.users.author, payload: { at } });
    expect((await api.call({ method: 'GET', url: `/api/articles/${a.slug}` })).statusCode).toBe(404);
    await new Promise((r) => setTimeout(r, 1600));
    const live = await api.call({ method: 'GET', url: `/api/articles/${a.slug}` });
    expect(live.statusCode).toBe(200);
    expect(live.json<ArticleBody>()).toMatchObject({ status: 'published', publishedAt: at });
  });

  it('an id too large for any engine is looked up as a slug: 404, not a database error', async () => {
    const res = await api.call({ method: 'GET', url: '/api/articles/99999999999999999999' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('scheduling in the past is 422', async () => {
    const a = await create('Past');
    const res = await api.call({
      method: 'POST',
      url: `/api/articles/${a.id}/publish`,
      as: api.users.author,
      payload: { at: '2001-01-01T00:00:00Z' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: { code: 'schedule_in_past' } });
  });

  it('full-text search finds live articles by title and body words, best match first', async () => {
    const t = await create('Kubernetes backups explained', 'How to restore etcd snapshots.');
    const b = await create('Unrelated title', 'We mention kubernetes once in the body.');
    const d = await create('Kubernetes draft', 'kubernetes kubernetes');
    for (const x of [t, b])
      await api.call({ method: 'POST', url: `/api/articles/${x.id}/publish`, as: api.users.author });
    const res = await api.call({ method: 'GET', url: '/api/articles/search?q=kubernetes' });
    expect(res.statusCode, res.body).toBe(200);
    const slugs = res.json<{ data: ArticleBody[] }>().data.map((x) => x.slug);
    expect(slugs).toEqual([t.slug, b.slug]);
    expect(slugs).not.toContain(d.slug);
    const body = await api.call({ method: 'GET', url: '/api/articles/search?q=etcd%20snapshots' });
    expect(body.json<{ data: ArticleBody[] }>().data.map((x) => x.slug)).toEqual([t.slug]);
    const syntax = await api.call({
      method: 'GET',
      url: `/api/articles/search?q=${encodeURIComponent('"AND OR NEAR( * -')}`,
    });
    expect(syntax.statusCode).toBe(200);
  });

  it('deletes: authors their own only', async () => {
    const a = await create('To delete');
    await api.call({ method: 'POST', url: `/api/articles/${a.id}/publish`, as: api.users.author });
    const forbidden = await api.call({ method: 'DELETE', url: `/api/articles/${a.id}`, as: api.users.author2 });
    expect(forbidden.statusCode).toBe(403);
    expect((await api.call({ method: 'DELETE', url: `/api/articles/${a.id}`, as: api.users.author })).statusCode).toBe(
      204,
    );
    expect((await api.call({ method: 'GET', url: `/api/articles/${a.id}` })).statusCode).toBe(404);
  });
});
