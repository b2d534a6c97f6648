import { createServer } from 'node:net';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache } from '../../../src/adapters/cache/redis-cache.js';
import { createPageCache } from '../../../src/http/page-cache/page-cache.js';

// The route-level hooks (what fastify.inject() requests, and any request the front door did not look up, go
// through) with a cache that cannot be reached: a real Redis client pointed at a port nothing listens on, so the
// read and the write fail as they do when Redis is down.
describe('page cache route hooks with the cache down', () => {
  let app: FastifyInstance;
  const lines: string[] = [];
  let renders = 0;

  beforeAll(async () => {
    // A port that was free a moment ago: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const cache = createRedisCache({ url: `redis://127.0.0.1:${port}`, prefix: 'route-hooks:', logger });
    const pageCache = createPageCache({ cache, enabled: true });
    const hooks = pageCache.route({ tags: [] });
    const loggerInstance: FastifyBaseLogger = logger;
    app = Fastify({ loggerInstance });
    app.get('/page', { onRequest: hooks.onRequest, onSend: hooks.onSend }, async (_request, reply) => {
      renders++;
      return reply.type('text/html; charset=utf-8').send('<p>rendered</p>');
    });
    await app.ready();
    app.addHook('onClose', () => cache.close());
  });

  afterAll(() => app?.close());

  it('renders and sends the page, with its ETag and 304, warns once for the read and does not try to store it', async () => {
    const res = await app.inject({ method: 'GET', url: '/page' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('<p>rendered</p>');
    expect(res.headers['x-cache']).toBe('MISS');
    expect(res.headers.etag).toMatch(/^"[\w-]{20,}"$/);
    expect(renders).toBe(1);
    expect(lines.filter((l) => l.includes('page cache read failed'))).toHaveLength(1);
    // The read failed: a write would fail too (with Redis down, a second warning and wait per page).
    expect(lines.filter((l) => l.includes('page cache write failed'))).toHaveLength(0);

    const again = await app.inject({ method: 'GET', url: '/page', headers: { 'if-none-match': res.headers.etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(renders).toBe(2);
  });

  it('a signed-in request bypasses the cache without touching it', async () => {
    const before = lines.length;
    const res = await app.inject({ method: 'GET', url: '/page', headers: { cookie: 'inkstone_session=abc' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-cache']).toBe('BYPASS');
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(lines.slice(before).filter((l) => l.includes('page cache'))).toEqual([]);
  });
});
