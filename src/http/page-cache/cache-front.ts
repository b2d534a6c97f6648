import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import proxyAddr from '@fastify/proxy-addr';
import FindMyWay from 'find-my-way';
import type { Logger } from '../../adapters/log/logger.js';
import type { RequestRecorder } from '../observability.js';
import { isAnonymous, writeHit, type CachedPage, type PageCache } from './page-cache.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface CacheFrontOptions {
  pageCache: PageCache;
  /** While draining, everything goes through fastify (which tells clients `connection: close`). */
  draining: () => boolean;
  /** The same TRUST_PROXY fastify is given, so the request line names the same client IP. */
  trustProxy: string;
  logger: Logger;
  /** The request line, metrics and alert window (absent in narrow tests). */
  record?: RequestRecorder;
  inFlight?: { inc(): void; dec(): void };
  /** The router's limit for one path parameter (fastify's routerOptions.maxParamLength). */
  maxParamLength: number;
}

export interface CacheFront {
  /** A GET route whose responses the page cache keeps: only its URLs are looked up (see server.ts's onRoute). */
  addRoute(url: string): void;
  handle(req: IncomingMessage, res: ServerResponse, next: RequestHandler): void;
}

/** A hit waiting for the end of its turn (see createCacheFront). */
interface Hit {
  req: IncomingMessage;
  res: ServerResponse;
  page: CachedPage;
  /** performance.now() when the front door took the request: the request line's duration counts the wait. */
  start: number;
}

/**
 * The page cache's front door: at the node:http server, before fastify, an anonymous GET or HEAD whose URL has a
 * stored page is answered from it. A hit is most of a blog's traffic, and fastify's per-request work (request and
 * reply objects, routing, hook runners, their promises) cost about as much as the rest of the hit (bench/hooks.ts).
 * What a hit owes the operator is kept: the same headers as a hit answered by the route (x-request-id included),
 * the same request line (route template, IP through TRUST_PROXY), the duration histogram and the alert window.
 * With a cache across the network (Redis), only URLs of the routes the page cache serves are looked up (a router of
 * those routes alone), so /health, the admin and assets never wait on it. Everything else goes to fastify untouched
 * (`next`), and so does everything while draining. fastify.inject() bypasses the server: injected requests are
 * answered by the route's own hooks (page-cache.ts), alike.
 *
 * Hits found in one turn of the event loop are written together at its end (setImmediate), not each as it is found.
 * Each response written wakes the reader on the other end (nginx, a load balancer, a client on this host) if it has
 * gone idle meanwhile; responses written one after another keep it busy instead. Measured in alternating pairs on
 * the cached article page (SQLite, 50 connections, this 2-core VM): about 42 -> 36 µs of server CPU a hit, +16%
 * requests a second. A hit waits at most for the rest of its turn, which it shares with the other requests read in it.
 */
export function createCacheFront(options: CacheFrontOptions): CacheFront {
  const { pageCache, draining, logger, record, inFlight } = options;
  const trust = proxyAddr.compile(options.trustProxy.split(',').map((value) => value.trim()));
  const cached = FindMyWay({ maxParamLength: options.maxParamLength });
  // The same routes by template: a stored page names the route that made it.
  const templates = new Set<string>();
  const noop = () => undefined;
  // Without X-Forwarded-For, proxy-addr's answer is the socket's address whatever it trusts: taken directly, a hit
  // skips building its address list.
  const clientIp = (req: IncomingMessage, headers: IncomingHttpHeaders) =>
    headers['x-forwarded-for'] === undefined ? req.socket.remoteAddress : proxyAddr(req, trust);

  const answer = (req: IncomingMessage, res: ServerResponse, page: CachedPage, start: number) => {
    // A getter on IncomingMessage: read once.
    const headers = req.headers;
    const header = headers['x-request-id'];
    // As fastify does with requestIdHeader: the caller's id when it sent one, else a new one.
    const reqId = typeof header === 'string' && header !== '' ? header : randomUUID();
    const status = writeHit(res, page, { 'x-request-id': reqId }, headers['if-none-match']);
    record?.({
      reqId,
      method: req.method!,
      route: page.route,
      url: req.url!,
      status,
      // Until the bytes were handed to the socket: fastify's onResponse counts until 'finish', which for a stored
      // page is the same moment give or take a tick, and listening for it would cost a closure per hit.
      ms: performance.now() - start,
      ip: clientIp(req, headers),
      ua: headers['user-agent'],
      userId: null,
    });
  };

  // The hits of this turn, in the order their requests were read (pipelined requests on one connection included).
  let pending: Hit[] = [];
  const writePending = () => {
    const hits = pending;
    pending = [];
    for (const hit of hits) {
      try {
        answer(hit.req, hit.res, hit.page, hit.start);
      } catch (err) {
        // One failed answer must not leave the rest of the turn's hits unanswered. Failing after its bytes went out
        // (the request line, the metrics), the reader has its page; failing before, it must not wait for one.
        logger.error({ err, url: hit.req.url }, 'page cache hit failed');
        if (!hit.res.headersSent) hit.res.destroy();
      }
    }
  };
  const enqueue = (req: IncomingMessage, res: ServerResponse, page: CachedPage, start: number) => {
    pending.push({ req, res, page, start });
    if (pending.length === 1) setImmediate(writePending);
  };

  const handle: CacheFront['handle'] = (req, res, next) => {
    const method = req.method;
    if ((method !== 'GET' && method !== 'HEAD') || !isAnonymous(req.headers) || draining()) return next(req, res);
    // HEAD shares GET's entry (fastify answers HEAD from the GET route). A cache across the network is asked only
    // about URLs of cached routes, so that no other request waits on it. The in-process cache answers faster than
    // the router matches a URL: it is asked first, and a page it has is answered if its route is a cached one.
    if (!pageCache.readsNow && cached.find('GET', req.url ?? '/') === null) return next(req, res);
    const start = performance.now();
    let found: ReturnType<PageCache['lookup']>;
    try {
      found = pageCache.lookup(req);
    } catch (err) {
      // Outside fastify nothing else catches a throw, and one would take the process down.
      logger.warn({ err, url: req.url }, 'page cache read failed');
      return next(req, res);
    }
    if (found === undefined) return next(req, res);
    if (!(found instanceof Promise)) {
      return templates.has(found.route) ? enqueue(req, res, found, start) : next(req, res);
    }
    // A cache across the network (Redis): the request is in flight while it answers.
    inFlight?.inc();
    found.then(
      (page) => {
        inFlight?.dec();
        if (page === undefined) next(req, res);
        else enqueue(req, res, page, start);
      },
      (err: unknown) => {
        inFlight?.dec();
        // A cache that is down costs a render, never the page (the route does not read it again).
        logger.warn({ err, url: req.url }, 'page cache read failed');
        next(req, res);
      },
    );
  };

  return {
    addRoute(url) {
      cached.on('GET', url, noop);
      templates.add(url);
    },
    handle,
  };
}
