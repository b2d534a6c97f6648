import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { startTestApp, redisTestPrefix, type RunningApp } from '../../support/app.js';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createPageCache, decodePage, encodePage } from '../../../src/http/page-cache/page-cache.js';
import { createCacheFront } from '../../../src/http/page-cache/cache-front.js';
import type { FinishedRequest, RequestRecorder } from '../../../src/http/observability.js';
import { pageKey } from '../../../src/http/page-cache/cache-key.js';
import { createMemoryCache } from '../../../src/adapters/cache/memory-cache.js';
import { createLogger } from '../../../src/adapters/log/logger.js';

const PUBLIC = 'public, max-age=0, s-maxage=60, stale-while-revalidate=600';
/** Headers a hit carries whoever answers it (x-request-id and date differ by request). */
const PAGE_HEADERS = ['etag', 'cache-control', 'x-cache', 'content-type', 'content-length', 'vary'];

function pick(headers: Headers | Record<string, unknown>, names: string[]): Record<string, string | null> {
  const get = (name: string) =>
    headers instanceof Headers ? headers.get(name) : ((headers[name] as string | undefined) ?? null);
  return Object.fromEntries(names.map((name) => [name, get(name)]));
}

async function requestLine(t: RunningApp, reqId: string): Promise<Record<string, unknown>> {
  return t.waitForLog((e) => e.reqId === reqId && e.msg === 'request');
}

describe('cached pages answered at the front door, before fastify (memory driver)', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());
  afterEach(() => vi.restoreAllMocks());

  it('a hit over HTTP is answered without the route (one synchronous cache read), with the same headers and bytes', async () => {
    const miss = await fetch(`${t.url}/?front=1`);
    expect(miss.headers.get('x-cache')).toBe('MISS');
    const rendered = await miss.text();

    // The route reads the cache with getBuffer; the front door reads it at once, and then nothing else does.
    const routeRead = vi.spyOn(t.app.cache, 'getBuffer');
    const hit = await fetch(`${t.url}/?front=1`, { headers: { 'x-request-id': 'front-hit-1' } });
    expect(hit.status).toBe(200);
    expect(await hit.text()).toBe(rendered);
    expect(routeRead).not.toHaveBeenCalled();
    expect(hit.headers.get('x-request-id')).toBe('front-hit-1');
    expect(hit.headers.get('cache-control')).toBe(PUBLIC);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('etag')).toBe(miss.headers.get('etag'));

    // fastify.inject() does not pass through the server: the same hit answered by the route's own hook.
    const injected = await t.web.server.inject({ method: 'GET', url: '/?front=1' });
    expect(routeRead).toHaveBeenCalledTimes(1);
    expect(injected.headers['x-cache']).toBe('HIT');
    expect(injected.body).toBe(rendered);
    expect(pick(hit.headers, PAGE_HEADERS)).toEqual(pick(injected.headers, PAGE_HEADERS));
  });

  it('answers HEAD with the headers alone and If-None-Match with 304', async () => {
    const page = await fetch(`${t.url}/?front=2`);
    const body = await page.text();
    const etag = page.headers.get('etag')!;
    const head = await fetch(`${t.url}/?front=2`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-cache')).toBe('HIT');
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    expect(await head.text()).toBe('');
    const revalidated = await fetch(`${t.url}/?front=2`, { headers: { 'if-none-match': `"other", ${etag}` } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(revalidated.headers.get('x-cache')).toBe('HIT');
    expect(await revalidated.text()).toBe('');
  });

  it('logs and counts a hit like any request: route template, status, client IP through TRUST_PROXY', async () => {
    const forwarded = { 'x-forwarded-for': '203.0.113.9', 'user-agent': 'front/1' };
    await (await fetch(`${t.url}/?front=3`, { headers: { ...forwarded, 'x-request-id': 'front-miss-3' } })).text();
    const hit = await fetch(`${t.url}/?front=3`, { headers: { ...forwarded, 'x-request-id': 'front-hit-3' } });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    const notModified = await fetch(`${t.url}/?front=3`, {
      headers: { 'x-request-id': 'front-304-3', 'if-none-match': hit.headers.get('etag')! },
    });
    expect(notModified.status).toBe(304);
    const fromFastify = await requestLine(t, 'front-miss-3');
    const fromFront = await requestLine(t, 'front-hit-3');
    // Loopback is a trusted proxy by default: both name the forwarded client, as fastify's request.ip does.
    expect(fromFront).toMatchObject({ method: 'GET', route: '/', url: '/?front=3', status: 200, userId: null });
    expect(fromFront.ip).toBe('203.0.113.9');
    expect(fromFront.ip).toBe(fromFastify.ip);
    expect(fromFront.ua).toBe('front/1');
    expect(typeof fromFront.ms).toBe('number');
    expect(await requestLine(t, 'front-304-3')).toMatchObject({ status: 304, route: '/', ip: '127.0.0.1' });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    const count = /inkstone_http_request_duration_seconds_count\{[^}]*route="\/"[^}]*status_class="3xx"[^}]*\} (\d+)/;
    expect(Number(count.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('API reads keep their Vary header and route template; credentials, other methods and old entries pass to fastify', async () => {
    await (await fetch(`${t.url}/api/articles?limit=2`)).text();
    const hit = await fetch(`${t.url}/api/articles?limit=2`, { headers: { 'x-request-id': 'front-api' } });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('vary')).toBe('Authorization, Cookie');
    expect(hit.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await requestLine(t, 'front-api')).toMatchObject({ route: '/api/articles', status: 200 });

    // An unknown token is refused by the API's auth hook: fastify answered, not the stored page.
    const token = await fetch(`${t.url}/api/articles?limit=2`, { headers: { authorization: 'Bearer nope' } });
    expect(token.status).toBe(401);
    const cookie = await fetch(`${t.url}/api/articles?limit=2`, { headers: { cookie: 'inkstone_session=gone' } });
    expect(cookie.status).toBe(200);
    expect(cookie.headers.get('x-cache')).toBe('BYPASS');
    const post = await fetch(`${t.url}/api/articles?limit=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    // fastify's validation answered: the body lacks the article's fields.
    expect(post.status).toBe(400);
    expect(post.headers.get('x-cache')).toBeNull();

    // What an older version stored is not a page: rendered afresh, and stored anew.
    await t.app.cache.set('page:/?front=old', { b: 'stale', e: '"old"', t: 'text/plain' });
    const old = await fetch(`${t.url}/?front=old`);
    expect(old.headers.get('x-cache')).toBe('MISS');
    expect(old.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await fetch(`${t.url}/?front=old`)).headers.get('x-cache')).toBe('HIT');
  });
});

describe('the front door on its own (a node:http server, with a stand-in for fastify)', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  async function serve(options: {
    enabled?: boolean;
    draining: () => boolean;
    record?: RequestRecorder;
    errors?: string[];
    /** Told of each request handed to fastify's stand-in. */
    passed?: (url: string) => void;
  }): Promise<string> {
    const cache = createMemoryCache();
    const pageCache = createPageCache({ cache, enabled: options.enabled ?? true });
    const page = { etag: '"p1"', type: 'text/plain', route: '/p', vary: '' };
    await cache.setBuffer(pageKey('/p'), encodePage(page, Buffer.from('stored')));
    await cache.setBuffer(pageKey('/q'), encodePage({ ...page, route: '/q' }, Buffer.from('other')));
    // Stored, but by a route the front door was not told of (say, a route no longer cached): not its to answer.
    const unrouted = { ...page, route: '/unrouted' };
    await cache.setBuffer(pageKey('/unrouted'), encodePage(unrouted, Buffer.from('stored')));
    const front = createCacheFront({
      pageCache,
      draining: options.draining,
      trustProxy: 'loopback',
      logger: createLogger(
        { appName: 't', log: { level: options.errors ? 'error' : 'silent' } },
        { write: (line: string) => void options.errors?.push(line) },
      ),
      record: options.record,
      maxParamLength: 100,
    });
    front.addRoute('/p');
    front.addRoute('/q');
    const server = createServer((req, res) =>
      front.handle(req, res, (passedReq, r) => {
        options.passed?.(passedReq.url ?? '');
        r.end('fastify');
      }),
    );
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('answers stored pages of cached routes, and hands the rest to fastify, everything while draining or with the cache off', async () => {
    let draining = false;
    const url = await serve({ draining: () => draining });
    expect(await (await fetch(`${url}/p`)).text()).toBe('stored');
    expect(await (await fetch(`${url}/p?q=1`)).text()).toBe('fastify');
    expect(await (await fetch(`${url}/unrouted`)).text()).toBe('fastify');
    draining = true;
    expect(await (await fetch(`${url}/p`)).text()).toBe('fastify');
    const off = await serve({ enabled: false, draining: () => false });
    expect(await (await fetch(`${off}/p`)).text()).toBe('fastify');
  });

  /** Requests written in one piece on one connection (read in one turn); resolves with the bodies of `count` responses. */
  function pipelined(url: string, paths: string[], count: number): Promise<string[]> {
    const { port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1');
      let text = '';
      const bodies = () =>
        text
          .split('HTTP/1.1 ')
          .slice(1)
          .map((response) => response.slice(response.indexOf('\r\n\r\n') + 4));
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        text += chunk;
        const got = bodies();
        if (got.length === count && got.every((body) => body !== '')) {
          socket.destroy();
          resolve(got);
        }
      });
      socket.on('error', reject);
      socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: t\r\n\r\n`).join(''));
    });
  }

  it('answers the hits read in one turn together, in the order they came (pipelined requests included)', async () => {
    const lines: FinishedRequest[] = [];
    const events: string[] = [];
    const url = await serve({
      draining: () => false,
      record: (r) => void (lines.push(r), events.push(`hit ${r.url}`)),
      passed: (path) => void events.push(`fastify ${path}`),
    });
    const bodies = await pipelined(url, ['/p', '/q', '/nothing', '/p', '/q'], 5);
    expect(bodies).toEqual(['stored', 'other', 'fastify', 'stored', 'other']);
    // All five were read in one turn: the miss went to fastify at once, the hits were written after, together.
    expect(events).toEqual(['fastify /nothing', 'hit /p', 'hit /q', 'hit /p', 'hit /q']);
    expect(lines.map((r) => [r.url, r.status])).toEqual([
      ['/p', 200],
      ['/q', 200],
      ['/p', 200],
      ['/q', 200],
    ]);
  });

  it('a hit that fails after its page went out is logged, and the other hits of its turn are still answered', async () => {
    const errors: string[] = [];
    const record = (r: FinishedRequest) => {
      if (r.url === '/q') throw new Error('metrics went away');
    };
    const url = await serve({ draining: () => false, record, errors });
    expect(await pipelined(url, ['/p', '/q', '/p'], 3)).toEqual(['stored', 'other', 'stored']);
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0]!)).toMatchObject({ msg: 'page cache hit failed', url: '/q' });
  });
});

const redis = inject('services').find((s) => s.name === 'redis');
const why = redis?.available ? '' : ` (skipped: ${redis?.reason ?? 'redis not probed'})`;

describe.skipIf(!redis?.available)(`cached pages at the front door on Redis (an asynchronous read)${why}`, () => {
  const keys = redisTestPrefix();
  let t: RunningApp;
  beforeAll(async () => {
    t = await startTestApp({ REDIS_URL: keys.url, REDIS_PREFIX: keys.prefix });
  });
  afterAll(async () => {
    await t?.close();
    await keys.clean();
  });
  afterEach(() => vi.restoreAllMocks());

  it('answers a hit stored in Redis; a miss is read once, not again by the route', async () => {
    expect(t.app.cache.driver).toBe('redis');
    const read = vi.spyOn(t.app.cache, 'getBuffer');
    const miss = await fetch(`${t.url}/?redis-front=1`);
    expect(miss.headers.get('x-cache')).toBe('MISS');
    const body = await miss.text();
    expect(read).toHaveBeenCalledTimes(1);
    const hit = await fetch(`${t.url}/?redis-front=1`, { headers: { 'x-request-id': 'redis-hit' } });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(await hit.text()).toBe(body);
    expect(read).toHaveBeenCalledTimes(2);
    expect(await requestLine(t, 'redis-hit')).toMatchObject({ route: '/', status: 200 });
    // The in-flight gauge went up and down again around the read: only the scrape itself is in flight.
    expect(await (await fetch(`${t.url}/metrics`)).text()).toMatch(/inkstone_http_requests_in_flight(\{[^}]*\})? 1\n/);
  });

  it('a cache that fails to answer costs a render (one warning), never the page', async () => {
    // The read is made to fail here (a stub): stopping the shared Redis would disturb other suites.
    vi.spyOn(t.app.cache, 'getBuffer').mockRejectedValue(new Error('redis went away'));
    const write = vi.spyOn(t.app.cache, 'setBuffer');
    const res = await fetch(`${t.url}/?redis-front=down`, { headers: { 'x-request-id': 'redis-down' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache')).toBe('MISS');
    await requestLine(t, 'redis-down');
    const warnings = t.logLines().filter((l) => l.includes('page cache read failed') && l.includes('redis-front=down'));
    expect(warnings).toHaveLength(1);
    // Nor is the page written to a cache that could not be read.
    expect(write).not.toHaveBeenCalled();
  });

  it('a page whose store fails is still sent, with one warning', async () => {
    // The write is made to fail here (a stub), for the reason above; the read before it is a real miss.
    vi.spyOn(t.app.cache, 'setBuffer').mockRejectedValue(new Error('redis went away'));
    const res = await fetch(`${t.url}/?redis-front=unwritable`, { headers: { 'x-request-id': 'redis-unwritable' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-cache')).toBe('MISS');
    await requestLine(t, 'redis-unwritable');
    const warnings = t.logLines().filter((l) => l.includes('page cache write failed'));
    expect(warnings.filter((l) => l.includes('redis-unwritable'))).toHaveLength(1);
  });
});

describe('stored page format', () => {
  it('keeps the route template and Vary with the bytes; anything else is not a page', () => {
    const body = Buffer.from('{"标题":"你好"}', 'utf8');
    const stored = encodePage({ etag: '"e1"', type: 'application/json', route: '/api/x/:id', vary: 'Cookie' }, body);
    expect(decodePage(stored)).toEqual({
      etag: '"e1"',
      type: 'application/json',
      route: '/api/x/:id',
      vary: 'Cookie',
      body,
      length: String(body.length),
    });
    expect(decodePage(Buffer.from('"e1"\ntext/html\n<p>older format</p>'))).toBeUndefined();
    expect(decodePage(Buffer.from('P2\n"e1"\ntext/html'))).toBeUndefined();
    expect(decodePage(Buffer.from('{"b":"json"}'))).toBeUndefined();
  });
});
