import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApp, type App } from '../../../src/app.js';
import { buildHttpServer } from '../../../src/http/server.js';
import { webCaching } from '../../../src/http/site/wiring.js';
import { startApi, type ApiHarness } from '../../support/api.js';
import { redisTestPrefix } from '../../support/app.js';
import { testConfig } from '../../support/config.js';
import { cardTitles, publish } from '../site/helpers.js';

const redis = inject('services').find((s) => s.name === 'redis');
const why = redis?.available ? '' : ` (skipped: ${redis?.reason ?? 'redis not probed'})`;

describe.skipIf(!redis?.available)(`page cache on Redis: instances share entries and invalidation${why}`, () => {
  const keys = redisTestPrefix();
  let a: ApiHarness;
  let bApp: App;
  let b: FastifyInstance;

  beforeAll(async () => {
    const env = { REDIS_URL: keys.url, REDIS_PREFIX: keys.prefix };
    a = await startApi('sqlite', env, { web: true });
    // A second instance: its own process state, the same database and the same Redis.
    bApp = await createApp(testConfig({ DATABASE_URL: a.db.url, ...env }));
    const web = webCaching(bApp);
    b = await buildHttpServer({
      logger: bApp.logger,
      db: bApp.db,
      version: 'test',
      draining: () => false,
      pingDatabase: () => bApp.dbTools.ping(),
      api: {
        blog: bApp.blog,
        version: 'test',
        cookies: { secure: false, maxAgeSeconds: 3600 },
        pageCache: web.pageCache,
      },
      site: web.site,
    });
  });
  afterAll(async () => {
    await b?.close();
    await bApp?.close();
    await a?.close();
    await keys.clean();
  });

  it('a page one instance rendered is a hit on the other; a write on either drops it for both', async () => {
    expect(a.app.cache.driver).toBe('redis');
    await publish(a, a.users.author, { title: '第一篇', markdown: '内容' });
    const fromA = await a.call({ method: 'GET', url: '/' });
    expect(fromA.headers['x-cache']).toBe('MISS');
    const fromB = await b.inject({ method: 'GET', url: '/' });
    expect(fromB.headers['x-cache']).toBe('HIT');
    expect(fromB.body).toBe(fromA.body);
    expect(fromB.headers.etag).toBe(fromA.headers.etag);

    // Published through instance B: A's next request renders afresh and shows it.
    const created = await b.inject({
      method: 'POST',
      url: '/api/articles',
      headers: { authorization: `Bearer ${a.users.author.token}` },
      payload: { title: '第二篇', markdown: '更多内容' },
    });
    const id = created.json<{ id: number }>().id;
    await b.inject({
      method: 'POST',
      url: `/api/articles/${id}/publish`,
      headers: { authorization: `Bearer ${a.users.author.token}` },
      payload: {},
    });
    const afterWrite = await a.call({ method: 'GET', url: '/' });
    expect(afterWrite.headers['x-cache']).toBe('MISS');
    expect(cardTitles(afterWrite.body)).toEqual(['第二篇', '第一篇']);
    expect((await b.inject({ method: 'GET', url: '/' })).headers['x-cache']).toBe('HIT');
  });
});
