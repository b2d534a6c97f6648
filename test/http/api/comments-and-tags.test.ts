import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { startApi, type ApiHarness } from '../../support/api.js';

describeEachDialect('comments and tags API', (dialect) => {
  let api: ApiHarness;
  let articleId: number;
  beforeAll(async () => {
    api = await startApi(dialect, { COMMENT_MAX_PER_IP: '3' });
    const res = await api.call({
      method: 'POST',
      url: '/api/articles',
      as: api.users.author,
      payload: { title: 'Commented', markdown: 'x', tags: ['Ops', 'Databases'] },
    });
    articleId = res.json<{ id: number }>().id;
    await api.call({ method: 'POST', url: `/api/articles/${articleId}/publish`, as: api.users.author });
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (payload: Record<string, unknown>, ip = '10.3.0.1', id = articleId) =>
    api.call({ method: 'POST', url: `/api/articles/${id}/comments`, payload, remoteAddress: ip });
  const approved = async () =>
    (await api.call({ method: 'GET', url: `/api/articles/${articleId}/comments` })).json<{
      data: Array<{ id: number; body: string }>;
    }>().data;

  it('a new comment waits for moderation, then shows once approved (without the email)', async () => {
    const res = await post({ name: 'Reader', email: 'Reader@Example.com', body: 'Nice <b>post</b>' });
    expect(res.statusCode, res.body).toBe(202);
    expect(await approved()).toEqual([]);
    const queue = await api.call({ method: 'GET', url: '/api/comments', as: api.users.editor });
    const pending = queue.json<{ data: Array<{ id: number; email: string; status: string }> }>().data;
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ email: 'reader@example.com', status: 'pending' });
    // The article's author is told by email: the notification job waits on the mail queue.
    const mail = (await api.app.queue.counts()).find((c) => c.queue === 'mail');
    expect(mail?.waiting).toBe(1);
    const ok = await api.call({ method: 'POST', url: `/api/comments/${pending[0]!.id}/approve`, as: api.users.editor });
    expect(ok.statusCode).toBe(200);
    const shown = await approved();
    expect(shown.map((c) => c.body)).toEqual(['Nice <b>post</b>']);
    expect(JSON.stringify(shown)).not.toContain('reader@example.com');
  });

  it('a filled honeypot is answered like a real comment but nothing is stored', async () => {
    const before = await api.app.db.primary.selectFrom('comments').selectAll().execute();
    const res = await post(
      { name: 'Bot', email: 'bot@example.com', body: 'spam', website: 'http://spam.example' },
      '10.3.0.2',
    );
    expect(res.statusCode).toBe(202);
    expect(await api.app.db.primary.selectFrom('comments').selectAll().execute()).toHaveLength(before.length);
  });

  it('an invalid email is 422 with details; a draft article is 404', async () => {
    const bad = await post({ name: 'X', email: 'not-an-email', body: 'hi' }, '10.3.0.3');
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ error: { code: 'validation_failed', details: [{ path: '/email' }] } });
    const draft = await api.call({
      method: 'POST',
      url: '/api/articles',
      as: api.users.author,
      payload: { title: 'D', markdown: 'x' },
    });
    const res = await post(
      { name: 'X', email: 'x@example.com', body: 'hi' },
      '10.3.0.3',
      draft.json<{ id: number }>().id,
    );
    expect(res.statusCode).toBe(404);
  });

  it('comments are rate-limited per address (429 with Retry-After)', async () => {
    for (let i = 0; i < 3; i++)
      expect((await post({ name: 'F', email: 'f@example.com', body: `n${i}` }, '10.3.0.9')).statusCode).toBe(202);
    const limited = await post({ name: 'F', email: 'f@example.com', body: 'again' }, '10.3.0.9');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('spam and delete take a comment out of the list', async () => {
    const queue = await api.call({ method: 'GET', url: '/api/comments?status=pending', as: api.users.admin });
    const [first, second] = queue.json<{ data: Array<{ id: number }> }>().data;
    expect(
      (await api.call({ method: 'POST', url: `/api/comments/${first!.id}/spam`, as: api.users.admin })).json(),
    ).toMatchObject({ status: 'spam' });
    expect(
      (await api.call({ method: 'DELETE', url: `/api/comments/${second!.id}`, as: api.users.admin })).statusCode,
    ).toBe(204);
    expect(
      (await api.call({ method: 'DELETE', url: `/api/comments/${second!.id}`, as: api.users.admin })).statusCode,
    ).toBe(404);
    const spam = await api.call({ method: 'GET', url: '/api/comments?status=spam', as: api.users.admin });
    expect(spam.json<{ meta: { total: number } }>().meta.total).toBe(1);
  });

  it('tags: listed with counts, renamed, merged (articles move, no duplicates), conflicts refused', async () => {
    const tags = async () =>
      (await api.call({ method: 'GET', url: '/api/tags' })).json<{
        data: Array<{ id: number; slug: string; articleCount: number }>;
      }>().data;
    const bySlug = async (slug: string) => (await tags()).find((t) => t.slug === slug)!;
    const ops = await bySlug('ops');
    const dbs = await bySlug('databases');
    expect(ops.articleCount).toBe(1);
    const clash = await api.call({
      method: 'PATCH',
      url: `/api/tags/${ops.id}`,
      as: api.users.editor,
      payload: { name: 'Databases' },
    });
    expect(clash.statusCode).toBe(409);
    const renamed = await api.call({
      method: 'PATCH',
      url: `/api/tags/${ops.id}`,
      as: api.users.editor,
      payload: { name: '运维 Ops' },
    });
    expect(renamed.json()).toMatchObject({ name: '运维 Ops', slug: '运维-ops' });
    const self = await api.call({
      method: 'POST',
      url: `/api/tags/${ops.id}/merge`,
      as: api.users.editor,
      payload: { into: ops.id },
    });
    expect(self.statusCode).toBe(422);
    const merged = await api.call({
      method: 'POST',
      url: `/api/tags/${ops.id}/merge`,
      as: api.users.editor,
      payload: { into: dbs.id },
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json()).toMatchObject({ id: dbs.id, articleCount: 1 });
    expect((await tags()).map((t) => t.slug)).not.toContain('运维-ops');
    const article = await api.call({ method: 'GET', url: `/api/articles/${articleId}` });
    expect(article.json<{ tags: Array<{ slug: string }> }>().tags.map((t) => t.slug)).toEqual(['databases']);
  });
});
