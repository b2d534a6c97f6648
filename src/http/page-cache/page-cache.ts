import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler, RouteOptions } from 'fastify';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Cache } from '../../adapters/cache/cache-port.js';
import { cacheTag } from '../../services/content-changes.js';
import { pageKey } from './cache-key.js';
import { matchesIfNoneMatch, strongEtag } from './etag.js';
import { decodePage, encodePage, PUBLIC_CACHE_CONTROL, type CachedPage } from './page-entry.js';

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

type RouteState = typeof BYPASS | { key: string | undefined; tags: string[] };
const BYPASS = 2;

/** Set on a request whose entry the fast path already read (and could not answer from): no second cache read. */
const LOOKED_UP = Symbol('page-cache looked up');
type Marked = IncomingMessage & { [LOOKED_UP]?: true };

export interface PageCache {
  readonly enabled: boolean;
  /** Route-level hooks: onRequest answers from the cache, onSend stores what the handler made. */
  route(options: CacheableRoute): {
    onRequest: onRequestAsyncHookHandler;
    onSend: (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>;
  };
  /** Adds tags to the response being made (e.g. `article:<id>`, known once the handler has loaded it). */
  tag(request: FastifyRequest, ...tags: string[]): void;
  /**
   * An onRoute hook for the app: notes the templates of the GET routes that cache (those with route()'s hooks), so
   * that an entry is only ever answered for a route that caches in this version of the app.
   */
  onRoute(route: RouteOptions): void;
  /**
   * The entry for a page key that a hit may be answered from: synchronously when the driver can (memory), a promise
   * otherwise (Redis); undefined when there is none, it is in another format, or its route does not cache here.
   */
  lookup(key: string): CachedPage | undefined | Promise<CachedPage | undefined>;
  /** Tells the route's hook that this request's entry was already read (and missed): it renders without a read. */
  markLookedUp(raw: IncomingMessage): void;
}

/** A request with a session cookie or any Authorization header may see more than the public: never shared. */
export function isAnonymous(headers: IncomingHttpHeaders): boolean {
  if (headers.authorization !== undefined) return false;
  const cookie = headers.cookie;
  return cookie === undefined || !cookie.includes('inkstone_session=');
}

/**
 * Caches anonymous GET responses in the cache port, keyed by path and query, tagged for invalidation. Hits are
 * answered before routing by fast-path.ts; the route's onRequest hook answers them when that did not run (while
 * draining, or on a server built without it, such as fastify.inject in tests).
 */
export function createPageCache(options: PageCacheOptions): PageCache {
  const { cache, enabled } = options;
  const ttlMs = options.ttlMs ?? DEFAULT_PAGE_TTL_MS;
  const state = new WeakMap<FastifyRequest, RouteState>();
  const ownHooks = new WeakSet<object>();
  const cachingRoutes = new Set<string>();
  // The memory driver returns the same Buffer on every hit: decode it once (keyed by identity, so an entry that is
  // replaced or evicted takes its decoding with it).
  const decoded = new WeakMap<Buffer, CachedPage>();
  const decode = (stored: Buffer | undefined) => {
    if (stored === undefined) return undefined;
    let page = decoded.get(stored);
    if (page === undefined) {
      page = decodePage(stored);
      if (page === undefined) return undefined;
      if (cache.driver === 'memory') decoded.set(stored, page);
    }
    // An entry whose route no longer caches (another version stored it in a shared Redis) is a miss here.
    return cachingRoutes.has(page.route) ? page : undefined;
  };
  const lookup = (key: string) => {
    if (cache.getBufferNow) return decode(cache.getBufferNow(key));
    return cache.getBuffer(key).then(decode);
  };

  return {
    enabled,
    lookup,
    markLookedUp(raw) {
      (raw as Marked)[LOOKED_UP] = true;
    },
    onRoute(route) {
      const hooks = route.onRequest;
      const list: unknown[] = Array.isArray(hooks) ? hooks : [hooks];
      if (list.some((hook) => typeof hook === 'function' && ownHooks.has(hook))) cachingRoutes.add(route.url);
    },
    route({ tags, vary }) {
      const onRequest: onRequestAsyncHookHandler = async (request, reply) => {
        if (!isAnonymous(request.headers)) {
          state.set(request, BYPASS);
          return;
        }
        const key = enabled ? pageKey(request.url) : undefined;
        let hit: CachedPage | undefined;
        if (key !== undefined && (request.raw as Marked)[LOOKED_UP] !== true) {
          try {
            hit = await lookup(key);
          } catch (err) {
            // A cache that is down costs a render, never the page.
            request.log.warn({ err }, 'page cache read failed');
          }
        }
        if (hit === undefined) {
          state.set(request, { key, tags: [...tags, cacheTag.content] });
          return;
        }
        // The stored bytes go straight to the socket: no onSend hooks, no payload checks, no serializer. Headers
        // set by earlier onRequest hooks (x-request-id, a draining `connection: close`) go with them, and the
        // onResponse hooks (request log, metrics) still run when the response finishes.
        reply.hijack();
        const headers = reply.getHeaders() as OutgoingHttpHeaders;
        headers.etag = hit.etag;
        headers['cache-control'] = PUBLIC_CACHE_CONTROL;
        headers['x-cache'] = 'HIT';
        if (vary) headers.vary = vary;
        if (matchesIfNoneMatch(request.headers['if-none-match'], hit.etag)) {
          reply.raw.writeHead(304, headers).end();
          return;
        }
        headers['content-type'] = hit.type;
        headers['content-length'] = String(hit.body.length);
        reply.raw.writeHead(200, headers).end(hit.body);
      };
      ownHooks.add(onRequest);
      return {
        onRequest,

        async onSend(request, reply, payload) {
          const s = state.get(request);
          if (s === undefined) return payload;
          if (vary) void reply.header('vary', vary);
          if (s === BYPASS) {
            void reply.header('cache-control', PRIVATE_CACHE_CONTROL).header('x-cache', 'BYPASS');
            return payload;
          }
          if (reply.statusCode !== 200 || typeof payload !== 'string') {
            // Errors are not kept anywhere: the next request may well succeed.
            if (reply.statusCode >= 400) void reply.header('cache-control', 'no-store');
            return payload;
          }
          const etag = strongEtag(payload);
          void reply
            .header('etag', etag)
            .header('cache-control', PUBLIC_CACHE_CONTROL)
            .header('x-cache', s.key === undefined ? 'OFF' : 'MISS');
          const route = request.routeOptions.url;
          if (s.key !== undefined && route !== undefined) {
            const type = String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8');
            try {
              await cache.setBuffer(s.key, encodePage({ etag, type, route, vary: vary ?? '', body: payload }), {
                ttlMs,
                tags: [...new Set(s.tags)],
              });
            } catch (err) {
              request.log.warn({ err }, 'page cache write failed');
            }
          }
          if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
            void reply.code(304);
            return '';
          }
          return payload;
        },
      };
    },
    tag(request, ...tags) {
      const s = state.get(request);
      if (typeof s === 'object') s.tags.push(...tags);
    },
  };
}
