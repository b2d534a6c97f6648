import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { startApi, type ApiHarness } from '../support/api.js';
import { cacheTag } from '../../src/services/content-changes.js';

// Article lists keep their live total in the cache port (counting every live article is most of a list's cost).
// The page cache is off here, so every request reaches the article service.
describeEachDialect('live totals of article lists', (dialect) => {
  let api: ApiHarness;
  const allKey = 'articles:live-total:[null,null]';
  const opsKey = 'articles:live-total:[null,"ops"]';

  beforeAll(async () => {
    api = await startApi(dialect, { HTTP_CACHE: 'false' });
    for (const [title, tags] of [
      ['One', ['Ops']],
      ['Two', ['Ops']],
      ['Three', []],
    ] as const) {
      await publish(title, [...tags]);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  async function publish(title: string, tags: string[], at?: string): Promise<number> {
    const created = await api.call({
      method: 'POST',
      url: '/api/articles',
      as: api.users.author,
      payload: { title, markdown: 'Body.', tags },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: number }>().id;
    const published = await api.call({
      method: 'POST',
      url: `/api/articles/${id}/publish`,
      as: api.users.author,
      payload: at ? { at } : undefined,
    });
    expect(published.statusCode, published.body).toBe(200);
    return id;
  }

  const total = async (query = '') => {
    const res = await api.call({ method: 'GET', url: `/api/articles?limit=1${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ meta: { total: number } }>().meta.total;
  };

  it('keeps one total per filter and answers from it', async () => {
    expect(await total()).toBe(3);
    expect(await total('&tag=ops')).toBe(2);
    expect(await api.app.cache.get(allKey)).toBe(3);
    expect(await api.app.cache.get(opsKey)).toBe(2);
    // A kept total is what the list reports (no count ran): plant one and read it back.
    await api.app.cache.set(allKey, 41, { tags: [cacheTag.lists] });
    expect(await total()).toBe(41);
    expect(await total('&tag=ops')).toBe(2);
  });

  it('a write that changes the lists drops every kept total', async () => {
    await api.app.cache.set(allKey, 41, { tags: [cacheTag.lists] });
    await publish('Four', ['Ops']);
    expect(await api.app.cache.get(allKey)).toBeUndefined();
    expect(await api.app.cache.get(opsKey)).toBeUndefined();
    expect(await total()).toBe(4);
    expect(await total('&tag=ops')).toBe(3);
  });

  it('a kept total ends when the next scheduled article comes due, with no write to tell it', async () => {
    await publish('Later', [], new Date(Date.now() + 1500).toISOString());
    expect(await total()).toBe(4);
    expect(await api.app.cache.get(allKey)).toBe(4);
    await new Promise((r) => setTimeout(r, 1700));
    expect(await api.app.cache.get(allKey)).toBeUndefined();
    expect(await total()).toBe(5);
  });
});
