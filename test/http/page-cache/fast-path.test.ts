import { request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { pino } from 'pino';
import { buildHttpServer } from '../../../src/http/server.js';
import { createDatabase, type Database } from '../../../src/adapters/db/database.js';
import { createMemoryCache } from '../../../src/adapters/cache/memory-cache.js';
import { createRedisCache } from '../../../src/adapters/cache/redis-cache.js';
import type { Cache } from '../../../src/adapters/cache/cache-port.js';
import { createMetrics, type Metrics } from '../../../src/adapters/metrics/metrics.js';
import { RequestWindow } from '../../../src/ops/alerts/request-window.js';
import { createPageCache } from '../../../src/http/page-cache/page-cache.js';
import { encodePage } from '../../../src/http/page-cache/page-entry.js';
import { pageKey } from '../../../src/http/page-cache/cache-key.js';
import { testConfig } from '../../support/config.js';
import { redisTestPrefix, waitFor } from '../../support/app.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function call(url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// A real listening server (the fast path wraps the socket's request listener, which fastify.inject never uses),
// with cacheable routes whose onRequest list starts with a counter: a request that reaches fastify's routing
// counts, one answered before routing does not.
describe.each(['memory', 'redis'] as const)('page-cache hits answered before routing (%s driver)', (driver) => {
  const keys = redisTestPrefix();
  let cache: Cache;
  let reads = 0;
  let db: Database;
  let server: FastifyInstance;
  let url: string;
  let metrics: Metrics;
  const lines: Record<string, unknown>[] = [];
  let draining = false;
  let reached = 0;
  let renders = 0;

  const lineFor = async (reqId: string) => {
    await waitFor(`the request line of ${reqId}`, () => lines.some((l) => l.reqId === reqId && l.msg === 'request'));
    return lines.find((l) => l.reqId === reqId && l.msg === 'request')!;
  };
  const counted = async (route: string, method = 'GET', statusClass = '2xx') => {
    const text = await metrics.text();
    const series = text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('inkstone_http_request_duration_seconds_count{') &&
          l.includes(`method="${method}"`) &&
          l.includes(`route="${route}"`) &&
          l.includes(`status_class="${statusClass}"`),
      );
    return series === undefined ? 0 : Number(series.split(' ').pop());
  };

  beforeAll(async () => {
    const base =
      driver === 'memory'
        ? createMemoryCache()
        : createRedisCache({ url: keys.url, prefix: keys.prefix, logger: pino({ level: 'silent' }) });
    // Counts the cache reads, whichever way the driver offers them.
    cache = Object.create(base) as Cache;
    cache.getBuffer = (key) => {
      reads += 1;
      return base.getBuffer(key);
    };
    if (base.getBufferNow) {
      const now = base.getBufferNow.bind(base);
      cache.getBufferNow = (key) => {
        reads += 1;
        return now(key);
      };
    }
    const pageCache = createPageCache({ cache, enabled: true });
    const config = testConfig({ DATABASE_URL: 'sqlite::memory:' });
    db = await createDatabase(config);
    metrics = createMetrics({ defaultMetrics: false });
    const count: onRequestHookHandler = (_request, _reply, done) => {
      reached += 1;
      done();
    };
    server = await buildHttpServer({
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
      db,
      version: 'test',
      draining: () => draining,
      pingDatabase: () => Promise.resolve(),
      pageCache,
      observability: {
        metrics,
        requests: new RequestWindow(60_000),
        slowRequestMs: 10_000,
        metricsToken: undefined,
        metricsAllow: ['127.0.0.1'],
      },
      routes: (app) => {
        const page = pageCache.route({ tags: ['t'] });
        const api = pageCache.route({ tags: ['t'], vary: 'Authorization, Cookie' });
        app.get<{ Params: { n: string } }>(
          '/t/page/:n',
          { onRequest: [count, page.onRequest], onSend: page.onSend },
          (req, reply) => reply.type('text/html; charset=utf-8').send(`<p>页 ${req.params.n} #${++renders}</p>`),
        );
        app.get('/t/api', { onRequest: [count, api.onRequest], onSend: api.onSend }, () => ({ n: ++renders }));
        app.get('/t/private', { onRequest: count }, () => `private #${++renders}`);
      },
    });
    url = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.destroy();
    await cache?.close();
    await keys.clean();
  });

  it('renders a miss through fastify with one cache read, then answers the hit without reaching the routes', async () => {
    reads = 0;
    const miss = await call(`${url}/t/page/1?b=2&a=1`);
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(reached).toBe(1);
    expect(reads).toBe(1);
    const before = await counted('/t/page/:n');
    const hit = await call(`${url}/t/page/1?a=1&b=2`, { headers: { 'user-agent': 'hit/1' } });
    expect(reached).toBe(1);
    expect(hit.status).toBe(200);
    expect(hit.body).toBe(miss.body);
    expect(hit.headers).toMatchObject({
      'x-cache': 'HIT',
      etag: miss.headers.etag,
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(miss.body)),
      'cache-control': miss.headers['cache-control'],
    });
    expect(hit.headers.vary).toBeUndefined();
    expect(hit.headers['x-request-id']).toMatch(UUID);
    // The same request line as fastify's onResponse hook writes, under the route's template.
    const line = await lineFor(hit.headers['x-request-id'] as string);
    expect(Object.keys(line).slice(Object.keys(line).indexOf('reqId'))).toEqual([
      'reqId',
      'method',
      'route',
      'url',
      'status',
      'ms',
      'ip',
      'ua',
      'userId',
      'msg',
    ]);
    expect(line).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/t/page/:n',
      url: '/t/page/1?a=1&b=2',
      status: 200,
      ip: '127.0.0.1',
      ua: 'hit/1',
      userId: null,
    });
    expect(typeof line.ms).toBe('number');
    expect(await counted('/t/page/:n')).toBe(before + 1);
  });

  it("keeps the client's x-request-id, answers 304 to a matching If-None-Match, and HEAD without a body", async () => {
    const first = await call(`${url}/t/page/2`);
    const at = reached;
    const traced = await call(`${url}/t/page/2`, { headers: { 'x-request-id': `trace-${driver}` } });
    expect(traced.headers['x-request-id']).toBe(`trace-${driver}`);
    expect((await lineFor(`trace-${driver}`)).status).toBe(200);

    const fresh = await call(`${url}/t/page/2`, {
      headers: { 'if-none-match': `"other", ${first.headers.etag as string}`, 'x-request-id': `304-${driver}` },
    });
    expect(fresh.status).toBe(304);
    expect(fresh.body).toBe('');
    expect(fresh.headers.etag).toBe(first.headers.etag);
    expect(fresh.headers['x-cache']).toBe('HIT');
    expect(fresh.headers['content-type']).toBeUndefined();
    expect(await lineFor(`304-${driver}`)).toMatchObject({ status: 304, route: '/t/page/:n' });
    expect(await counted('/t/page/:n', 'GET', '3xx')).toBe(1);

    const head = await call(`${url}/t/page/2`, { method: 'HEAD', headers: { 'x-request-id': `head-${driver}` } });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(first.headers['content-length']);
    expect(await lineFor(`head-${driver}`)).toMatchObject({ method: 'HEAD', status: 200, route: '/t/page/:n' });
    expect(reached).toBe(at);
  });

  it("carries the route's Vary on a hit of an API read", async () => {
    const miss = await call(`${url}/t/api`);
    expect(miss.headers.vary).toBe('Authorization, Cookie');
    const at = reached;
    const hit = await call(`${url}/t/api`);
    expect(reached).toBe(at);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.headers.vary).toBe('Authorization, Cookie');
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.body).toBe(miss.body);
  });

  it('leaves signed-in requests to fastify (never the shared entry); other cookies still hit', async () => {
    await call(`${url}/t/page/3`);
    const at = reached;
    const bearer = await call(`${url}/t/page/3`, { headers: { authorization: 'Bearer x' } });
    expect(bearer.headers['x-cache']).toBe('BYPASS');
    const session = await call(`${url}/t/page/3`, { headers: { cookie: 'a=1; inkstone_session=abc' } });
    expect(session.headers['x-cache']).toBe('BYPASS');
    expect(reached).toBe(at + 2);
    const other = await call(`${url}/t/page/3`, { headers: { cookie: 'theme=dark' } });
    expect(other.headers['x-cache']).toBe('HIT');
    expect(reached).toBe(at + 2);
  });

  it('while draining, fastify answers (the hit from the route, with connection: close) and logs it', async () => {
    await call(`${url}/t/page/4`);
    const at = reached;
    draining = true;
    try {
      const hit = await call(`${url}/t/page/4`, { headers: { 'x-request-id': `drain-${driver}` } });
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(hit.headers.connection).toBe('close');
      expect(hit.headers['x-request-id']).toBe(`drain-${driver}`);
      expect(reached).toBe(at + 1);
      expect(await lineFor(`drain-${driver}`)).toMatchObject({ route: '/t/page/:n', status: 200 });
    } finally {
      draining = false;
    }
  });

  it('never answers a route that does not cache from an entry stored under its URL', async () => {
    // As a shared Redis may hold after a deploy made the route private: an entry in the current format, for the
    // route's own template, which this app does not cache.
    const entry = encodePage({
      etag: '"stale"',
      type: 'text/plain',
      route: '/t/private',
      vary: '',
      body: 'cached secret',
    });
    await cache.setBuffer(pageKey('/t/private'), entry);
    const at = reached;
    const res = await call(`${url}/t/private`);
    expect(res.body).toMatch(/^private #\d+$/);
    expect(res.headers['x-cache']).toBeUndefined();
    expect(reached).toBe(at + 1);
  });

  it('logs the client address the way fastify does behind a trusted proxy (TRUST_PROXY=loopback)', async () => {
    await call(`${url}/t/page/5`);
    const headers = { 'x-forwarded-for': '203.0.113.9, 198.51.100.7' };
    await call(`${url}/t/page/5`, { headers: { ...headers, 'x-request-id': `xff-hit-${driver}` } });
    await call(`${url}/t/private`, { headers: { ...headers, 'x-request-id': `xff-route-${driver}` } });
    const viaFastify = await lineFor(`xff-route-${driver}`);
    expect(viaFastify.ip).toBe('198.51.100.7');
    expect((await lineFor(`xff-hit-${driver}`)).ip).toBe(viaFastify.ip);
  });

  it('sends writes to fastify even when their URL has an entry', async () => {
    await call(`${url}/t/page/6`);
    const res = await call(`${url}/t/page/6`, { method: 'POST' });
    expect(res.status).toBe(404);
  });
});
