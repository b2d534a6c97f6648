import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { RequestRecorder } from '../observability.js';
import { pageKey } from './cache-key.js';
import { matchesIfNoneMatch } from './etag.js';
import { isAnonymous, type PageCache } from './page-cache.js';
import type { CachedPage } from './page-entry.js';

export interface PageHitDeps {
  pageCache: PageCache;
  /** True while the server drains or fastify closes: then fastify answers (`connection: close`, or its 503). */
  stopping: () => boolean;
  /** The request id: the client's x-request-id header if it sent one, else a fresh one (as fastify does). */
  genReqId: () => string;
  clientIp: (req: IncomingMessage) => string | undefined;
  /** The request log line and metrics (absent in narrow tests). */
  record?: RequestRecorder;
  inFlight?: { inc(): void; dec(): void };
  log: FastifyBaseLogger;
}

/**
 * Wraps fastify's request listener: an anonymous GET or HEAD whose page has a stored entry is answered here,
 * before fastify builds its request and reply objects, routes, and runs its hooks, which cost more than half of a
 * hit's CPU. It does what those hooks did for a hit: the x-request-id header, ETag/304, the route's Vary, the
 * request line and metrics under the route's template. Everything else (misses, signed-in requests, writes,
 * requests while draining) goes to fastify unchanged; a miss is marked so the route does not read the cache again.
 */
export function pageHitListener(deps: PageHitDeps, next: RequestListener): RequestListener {
  const { pageCache, stopping, genReqId, clientIp, record, inFlight, log } = deps;

  const answer = (req: IncomingMessage, res: ServerResponse, page: CachedPage, start: number) => {
    const reqId = (req.headers['x-request-id'] as string | undefined) || genReqId();
    const fresh = matchesIfNoneMatch(req.headers['if-none-match'], page.etag);
    const status = fresh ? 304 : 200;
    res.writeHead(status, ['x-request-id', reqId, ...(fresh ? page.head304 : page.head200)]);
    if (fresh) res.end();
    else res.end(page.body);
    record?.({
      reqId,
      method: req.method!,
      route: page.route,
      url: req.url!,
      status,
      ms: performance.now() - start,
      ip: clientIp(req),
      ua: req.headers['user-agent'],
      userId: null,
    });
  };

  return (req, res) => {
    const method = req.method;
    if ((method !== 'GET' && method !== 'HEAD') || !pageCache.enabled || !isAnonymous(req.headers) || stopping()) {
      next(req, res);
      return;
    }
    const start = performance.now();
    const found = pageCache.lookup(pageKey(req.url!));
    if (!(found instanceof Promise)) {
      // The memory driver: answered within this turn, so the in-flight gauge could never see it.
      if (found !== undefined) return answer(req, res, found, start);
      pageCache.markLookedUp(req);
      next(req, res);
      return;
    }
    inFlight?.inc();
    void found.then(
      (page) => {
        inFlight?.dec();
        if (page !== undefined) return answer(req, res, page, start);
        pageCache.markLookedUp(req);
        next(req, res);
      },
      (err: unknown) => {
        inFlight?.dec();
        // A cache that is down costs a render, never the page; the route does not try it a second time.
        log.warn({ err }, 'page cache read failed');
        pageCache.markLookedUp(req);
        next(req, res);
      },
    );
  };
}
