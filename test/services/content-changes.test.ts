import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { startApi, type ApiHarness } from '../support/api.js';
import { cacheTag } from '../../src/services/content-changes.js';

// Every write that changes what a reader sees drops the cached copies tagged with it, through the real app's
// cache (in-process LRU here; the Redis driver shares the cache-behaviour suite).
describeEachDialect('content changes drop cached copies', (dialect) => {
  let api: ApiHarness;
  let articleId: number;
  beforeAll(async () => {
    api = await startApi(dialect);
    const res = await api.call({
      method: 'POST',
      url: '/api/articles',
      as: api.users.author,
      payload: { title: 'Cached', markdown: 'x', tags: ['Ops'] },
    });
    articleId = res.json<{ id: number }>().id;
  });
  afterAll(async () => {
    await api?.close();
  });

  async function plant(): Promise<void> {
    const cache = api.app.cache;
    await cache.set('page:/a', 'article page', { tags: [cacheTag.article(articleId), cacheTag.content] });
    await cache.set('page:/', 'home', { tags: [cacheTag.lists, cacheTag.content] });
    await cache.set('page:/other', 'other article', { tags: [cacheTag.article(articleId + 1000), cacheTag.content] });
  }
  const present = async () => ({
    article: (await api.app.cache.get('page:/a')) !== undefined,
    home: (await api.app.cache.get('page:/')) !== undefined,
    other: (await api.app.cache.get('page:/other')) !== undefined,
  });

  it('publishing drops the article and every list, not other articles', async () => {
    await plant();
    const res = await api.call({ method: 'POST', url: `/api/articles/${articleId}/publish`, as: api.users.author });
    expect(res.statusCode, res.body).toBe(200);
    expect(await present()).toEqual({ article: false, home: false, other: true });
  });

  it('approving a comment drops only that article', async () => {
    const posted = await api.call({
      method: 'POST',
      url: `/api/articles/${articleId}/comments`,
      payload: { name: 'R', email: 'r@example.com', body: 'hi' },
      remoteAddress: '10.9.0.1',
    });
    expect(posted.statusCode, posted.body).toBe(202);
    const queue = await api.call({ method: 'GET', url: '/api/comments', as: api.users.editor });
    const id = queue.json<{ data: Array<{ id: number }> }>().data[0]!.id;
    await plant();
    const res = await api.call({
      method: 'POST',
      url: `/api/comments/${id}/approve`,
      as: api.users.editor,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await present()).toEqual({ article: false, home: true, other: true });
  });

  it('renaming a tag drops everything derived from content', async () => {
    await plant();
    const tags = (await api.call({ method: 'GET', url: '/api/tags' })).json<{ data: Array<{ id: number }> }>().data;
    const res = await api.call({
      method: 'PATCH',
      url: `/api/tags/${tags[0]!.id}`,
      as: api.users.editor,
      payload: { name: 'Operations' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await present()).toEqual({ article: false, home: false, other: false });
  });

  it('a failed write drops nothing', async () => {
    await plant();
    const res = await api.call({ method: 'POST', url: `/api/articles/999999/publish`, as: api.users.author });
    expect(res.statusCode).toBe(404);
    expect(await present()).toEqual({ article: true, home: true, other: true });
  });
});
