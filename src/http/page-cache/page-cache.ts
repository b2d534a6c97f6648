import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Cache } from '../../adapters/cache/cache-port.js';
import { cacheTag } from '../../services/content-changes.js';
import { pageKey } from './cache-key.js';
import { matchesIfNoneMatch, strongEtag } from './etag.js';

/**
 * What a cached response keeps, as one byte string: `P2\n<etag>\n<content type>\n<route>\n<vary>\n<body bytes>`.
 * A hit slices it (no JSON, no copy of the body, no UTF-8 encoding of a 25 KB string); see encodePage/decodePage.
 * The route template is there for the request line and the metrics of a hit answered before routing
 * (cache-front.ts); the vary header because the API's responses vary by credentials and the site's do not.
 */
export interface CachedPage {
  etag: string;
  type: string;
  /** The route's template, e.g. `/articles/:slug`. */
  route: string;
  /** The Vary header the route sets ('' for none). */
  vary: string;
  body: Buffer;
  /** The body's length as a header value, worked out once. */
  length: string;
}

/** The first bytes of an entry in this format; anything else (an older version's entry) is a miss. */
const FORMAT = Buffer.from('P2\n', 'latin1');

export function encodePage(page: Pick<CachedPage, 'etag' | 'type' | 'route' | 'vary'>, body: Buffer): Buffer {
  const head = `${page.etag}\n${page.type}\n${page.route}\n${page.vary}\n`;
  return Buffer.concat([FORMAT, Buffer.from(head, 'latin1'), body]);
}

export function decodePage(stored: Buffer): CachedPage | undefined {
  if (stored.length < FORMAT.length || stored.compare(FORMAT, 0, FORMAT.length, 0, FORMAT.length) !== 0) {
    return undefined;
  }
  const ends: number[] = [];
  let at = FORMAT.length - 1;
  for (let i = 0; i < 4; i++) {
    at = stored.indexOf(10, at + 1);
    if (at === -1) return undefined;
    ends.push(at);
  }
  const [e1, e2, e3, e4] = ends as [number, number, number, number];
  const body = stored.subarray(e4 + 1);
  return {
    etag: stored.toString('latin1', FORMAT.length, e1),
    type: stored.toString('latin1', e1 + 1, e2),
    route: stored.toString('latin1', e2 + 1, e3),
    vary: stored.toString('latin1', e3 + 1, e4),
    body,
    length: String(body.length),
  };
}

/**
 * Writes a hit: 304 when If-None-Match matches, else the stored bytes, straight to the socket with `headers` (those
 * set before the hit, such as x-request-id) and the page's own. Returns the status written.
 */
export function writeHit(
  res: ServerResponse,
  page: CachedPage,
  headers: OutgoingHttpHeaders,
  ifNoneMatch: string | undefined,
): number {
  headers.etag = page.etag;
  headers['cache-control'] = PUBLIC_CACHE_CONTROL;
  headers['x-cache'] = 'HIT';
  if (page.vary !== '') headers.vary = page.vary;
  if (matchesIfNoneMatch(ifNoneMatch, page.etag)) {
    res.writeHead(304, headers).end();
    return 304;
  }
  headers['content-type'] = page.type;
  headers['content-length'] = page.length;
  res.writeHead(200, headers).end(page.body);
  return 200;
}

/** A CDN may keep a page a minute and serve it stale for ten while it refetches; browsers always revalidate. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, s-maxage=60, stale-while-revalidate=600';
const PRIVATE_CACHE_CONTROL = 'private, no-cache';
export const DEFAULT_PAGE_TTL_MS = 5 * 60_000;

export interface PageCacheOptions {
  cache: Cache;
  /** HTTP_CACHE: false renders every request (ETag, 304 and Cache-Control still apply). */
  enabled: boolean;
  /** A backstop: entries go after this even if no invalidation reaches them. */
  ttlMs?: number;
}

export interface CacheableRoute {
  /** Tags every response of the route carries (see services/content-changes.ts). */
  tags: readonly string[];
  /** Set when the same URL answers differently with credentials (the API), so a CDN keeps them apart. */
  vary?: string;
}

/** How an onSend hook hands on its payload (or an error). */
type OnSendDone = (err: Error | null, payload?: unknown) => void;

type RouteState = typeof BYPASS | { key: string | undefined; tags: string[] };
const BYPASS = 2;

export interface PageCache {
  readonly enabled: boolean;
  /** Route-level hooks: onRequest answers from the cache, onSend stores what the handler made. */
  route(options: CacheableRoute): {
    onRequest: onRequestHookHandler;
    onSend: (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: OnSendDone) => void;
  };
  /**
   * For the server's front door (cache-front.ts), before routing: the page stored for an anonymous GET or HEAD,
   * synchronously when the cache driver can answer at once, else a promise (which rejects when the cache is down).
   * A request it finds nothing for goes on to its route, whose own onRequest does not read the cache again.
   */
  lookup(raw: IncomingMessage): CachedPage | undefined | Promise<CachedPage | undefined>;
  /** Whether lookup answers synchronously (the in-process cache): then a lookup costs less than routing the URL. */
  readonly readsNow: boolean;
  /** Whether `hook` is one of this cache's route onRequest hooks (the front door learns which routes are cached). */
  ownsHook(hook: unknown): boolean;
  /** Adds tags to the response being made (e.g. `article:<id>`, known once the handler has loaded it). */
  tag(request: FastifyRequest, ...tags: string[]): void;
}

/** A request with a session cookie or any Authorization header may see more than the public: never shared. */
export function isAnonymous(headers: IncomingHttpHeaders): boolean {
  if (headers.authorization !== undefined) return false;
  const cookie = headers.cookie;
  return cookie === undefined || !cookie.includes('inkstone_session=');
}

/**
 * Caches anonymous GET responses in the cache port, keyed by path and query, tagged for invalidation. The hit
 * path does only what it must: build the key, one cache read, compare If-None-Match, write the stored bytes.
 */
export function createPageCache(options: PageCacheOptions): PageCache {
  const { cache, enabled } = options;
  const ttlMs = options.ttlMs ?? DEFAULT_PAGE_TTL_MS;
  const state = new WeakMap<FastifyRequest, RouteState>();
  // The memory driver returns the same Buffer on every hit: decode it once (keyed by identity, so an entry that is
  // replaced or evicted takes its decoding with it).
  const decoded = new WeakMap<Buffer, CachedPage>();
  // Requests whose URL the front door already looked up: their route does not read the cache a second time.
  const lookedUp = new WeakSet<IncomingMessage>();
  // Requests whose cache read failed: the cache is down or failing, and a write of their page would fail the same way
  // (a second warning per page, and with a cache across the network a second wait).
  const unreadable = new WeakSet<IncomingMessage>();
  const routeHooks = new WeakSet<object>();
  const decode = (stored: Buffer) => {
    let page = decoded.get(stored);
    if (page === undefined) {
      page = decodePage(stored);
      if (page !== undefined && cache.driver === 'memory') decoded.set(stored, page);
    }
    return page;
  };

  return {
    enabled,
    route({ tags, vary }) {
      // Callback hooks, not async ones: most requests finish them without waiting for anything (anonymous with the
      // front door's lookup done, or the cache off), and an async hook costs a promise and a turn of the microtask
      // queue on every request all the same.
      const miss = (request: FastifyRequest, key: string | undefined) => {
        state.set(request, { key, tags: [...tags, cacheTag.content] });
      };
      const answerHit = (request: FastifyRequest, reply: FastifyReply, hit: CachedPage) => {
        // The stored bytes go straight to the socket: no onSend hooks, no payload checks, no serializer. Headers
        // set by earlier onRequest hooks (x-request-id, a draining `connection: close`) go with them, and the
        // onResponse hooks (request log, metrics) still run when the response finishes.
        reply.hijack();
        writeHit(reply.raw, hit, reply.getHeaders() as OutgoingHttpHeaders, request.headers['if-none-match']);
      };
      /** What a fresh page sends: nothing, as a 304, when the client's If-None-Match has it; else the body. */
      const finish = (request: FastifyRequest, reply: FastifyReply, body: Buffer, etag: string) => {
        if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
          void reply.code(304);
          return '';
        }
        return body;
      };
      const hooks: ReturnType<PageCache['route']> = {
        onRequest(request, reply, done) {
          if (!isAnonymous(request.headers)) {
            state.set(request, BYPASS);
            return done();
          }
          const key = enabled ? pageKey(request.url) : undefined;
          // The front door (cache-front.ts) has already looked this URL up: only injected requests come here unread.
          if (key === undefined || lookedUp.has(request.raw)) {
            miss(request, key);
            return done();
          }
          const found = (stored: Buffer | undefined) => {
            const hit = stored === undefined ? undefined : decode(stored);
            if (hit === undefined) miss(request, key);
            else answerHit(request, reply, hit);
          };
          cache.getBuffer(key).then(
            (stored) => {
              found(stored);
              done();
            },
            (err: unknown) => {
              // A cache that is down costs a render, never the page.
              request.log.warn({ err }, 'page cache read failed');
              unreadable.add(request.raw);
              miss(request, key);
              done();
            },
          );
        },

        onSend(request, reply, payload, done) {
          const s = state.get(request);
          if (s === undefined) return done(null, payload);
          if (vary) void reply.header('vary', vary);
          if (s === BYPASS) {
            void reply.header('cache-control', PRIVATE_CACHE_CONTROL).header('x-cache', 'BYPASS');
            return done(null, payload);
          }
          if (reply.statusCode !== 200 || !(typeof payload === 'string' || Buffer.isBuffer(payload))) {
            // Errors are not kept anywhere: the next request may well succeed.
            if (reply.statusCode >= 400) void reply.header('cache-control', 'no-store');
            return done(null, payload);
          }
          // Encoded to UTF-8 once: these bytes are hashed, kept and sent. Handed on as the string, the body was encoded
          // by the hash, measured again for Content-Length and encoded a third time by the socket. A handler may have
          // made the bytes itself (the API's public article reads on SQLite).
          const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
          const etag = strongEtag(body);
          void reply
            .header('etag', etag)
            .header('cache-control', PUBLIC_CACHE_CONTROL)
            .header('x-cache', s.key === undefined ? 'OFF' : 'MISS');
          if (s.key === undefined || unreadable.has(request.raw)) return done(null, finish(request, reply, body, etag));
          const type = String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8');
          const page = { etag, type, route: request.routeOptions.url ?? '', vary: vary ?? '' };
          // Stored before the response goes, so the next request for the URL finds it.
          cache.setBuffer(s.key, encodePage(page, body), { ttlMs, tags: [...new Set(s.tags)] }).then(
            () => done(null, finish(request, reply, body, etag)),
            (err: unknown) => {
              request.log.warn({ err }, 'page cache write failed');
              done(null, finish(request, reply, body, etag));
            },
          );
        },
      };
      routeHooks.add(hooks.onRequest);
      return hooks;
    },
    ownsHook: (hook) => typeof hook === 'function' && routeHooks.has(hook),
    readsNow: cache.getBufferNow !== undefined,
    lookup(raw) {
      if (!enabled) return undefined;
      const key = pageKey(raw.url ?? '/');
      if (cache.getBufferNow) {
        const stored = cache.getBufferNow(key);
        const page = stored === undefined ? undefined : decode(stored);
        // Only a request that goes on to fastify needs the mark (a hit is answered here): one WeakSet insert less a hit.
        if (page === undefined) lookedUp.add(raw);
        return page;
      }
      lookedUp.add(raw);
      return cache.getBuffer(key).then(
        (stored) => (stored === undefined ? undefined : decode(stored)),
        (err: unknown) => {
          unreadable.add(raw);
          throw err;
        },
      );
    },
    tag(request, ...tags) {
      const s = state.get(request);
      if (typeof s === 'object') s.tags.push(...tags);
    },
  };
}
