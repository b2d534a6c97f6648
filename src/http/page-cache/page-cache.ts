import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Cache } from '../../adapters/cache/cache-port.js';
import { cacheTag } from '../../services/content-changes.js';
import { pageKey } from './cache-key.js';
import { matchesIfNoneMatch, strongEtag } from './etag.js';

/**
 * What a cached response keeps, as one byte string: `<etag>\n<content type>\n<body bytes>`. A hit slices it (no
 * JSON, no copy of the body, no UTF-8 encoding of a 25 KB string); see encodePage/decodePage.
 */
interface CachedPage {
  etag: string;
  type: string;
  body: Buffer;
  /** The body's length as a header value, worked out once. */
  length: string;
}

export function encodePage(etag: string, type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${etag}\n${type}\n`, 'latin1'), body]);
}

export function decodePage(stored: Buffer): CachedPage | undefined {
  const a = stored.indexOf(10);
  const b = a === -1 ? -1 : stored.indexOf(10, a + 1);
  // Not ours (an entry written by an older version as JSON): a miss, which renders and overwrites it.
  if (b === -1 || stored[0] !== 0x22) return undefined;
  const body = stored.subarray(b + 1);
  return {
    etag: stored.toString('latin1', 0, a),
    type: stored.toString('latin1', a + 1, b),
    body,
    length: String(body.length),
  };
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

type RouteState = typeof BYPASS | { key: string | undefined; tags: string[] };
const BYPASS = 2;

export interface PageCache {
  readonly enabled: boolean;
  /** Route-level hooks: onRequest answers from the cache, onSend stores what the handler made. */
  route(options: CacheableRoute): {
    onRequest: onRequestAsyncHookHandler;
    onSend: (request: FastifyRequest, reply: FastifyReply, payload: unknown) => Promise<unknown>;
  };
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
      return {
        async onRequest(request, reply) {
          if (!isAnonymous(request.headers)) {
            state.set(request, BYPASS);
            return;
          }
          const key = enabled ? pageKey(request.url) : undefined;
          let hit: CachedPage | undefined;
          if (key !== undefined) {
            try {
              const stored = await cache.getBuffer(key);
              hit = stored === undefined ? undefined : decode(stored);
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
          headers['content-length'] = hit.length;
          reply.raw.writeHead(200, headers).end(hit.body);
        },

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
          // Encoded to UTF-8 once: these bytes are hashed, kept and sent. Handed on as the string, the body was encoded
          // by the hash, measured again for Content-Length and encoded a third time by the socket.
          const body = Buffer.from(payload, 'utf8');
          const etag = strongEtag(body);
          void reply
            .header('etag', etag)
            .header('cache-control', PUBLIC_CACHE_CONTROL)
            .header('x-cache', s.key === undefined ? 'OFF' : 'MISS');
          if (s.key !== undefined) {
            const type = String(reply.getHeader('content-type') ?? 'text/html; charset=utf-8');
            try {
              await cache.setBuffer(s.key, encodePage(etag, type, body), {
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
          return body;
        },
      };
    },
    tag(request, ...tags) {
      const s = state.get(request);
      if (typeof s === 'object') s.tags.push(...tags);
    },
  };
}
