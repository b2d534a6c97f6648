import { createServer, type ServerOptions } from 'node:http';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerFactory,
} from 'fastify';
import type { Logger } from '../adapters/log/logger.js';
import type { Database } from '../adapters/db/database.js';
import type { HealthReport } from '../ops/health/checks.js';
import { envelope, registerErrorHandling } from './error-envelope.js';
import { registerHealthRoutes } from './health.js';
import { createRequestRecorder, registerObservability, type ObservabilityDeps } from './observability.js';
import { createCacheFront } from './page-cache/cache-front.js';
import type { PageCache } from './page-cache/page-cache.js';
import { lazyRequestLogger } from './request-logger.js';
import { registerApi, type ApiDeps } from './api/index.js';
import { registerAdminUi, type AdminUiDeps } from './admin/routes.js';
import { registerMediaFiles, type MediaFilesDeps } from './media-files.js';
import { registerSite, type SiteDeps } from './site/index.js';

export interface HttpDeps {
  logger: Logger;
  db: Database;
  version: string;
  draining: () => boolean;
  pingDatabase: () => Promise<void>;
  /** The full health report for GET /health (absent: the route is not mounted). */
  health?: () => Promise<HealthReport>;
  /** Request log, metrics and alert window (absent in narrow tests). */
  observability?: ObservabilityDeps;
  /** Proxies whose X-Forwarded-For is believed (proxy-addr syntax: addresses, CIDRs, loopback, uniquelocal). */
  trustProxy?: string;
  bodyLimitBytes?: number;
  /** Registers the application's routes (the API, the site); kept outside so tests can mount their own. */
  routes?: (app: FastifyInstance) => void;
  /** The blog's JSON API; left out, the server has health routes only. */
  api?: ApiDeps;
  /** The admin UI under /admin; left out, it is not mounted. */
  admin?: AdminUiDeps;
  /** Stored uploads under MEDIA_PUBLIC_URL's path (absent: not served). */
  mediaFiles?: MediaFilesDeps;
  /** The public, server-rendered site (pages, feeds, sitemap, assets); left out, it is not mounted. */
  site?: SiteDeps;
  /**
   * The page cache the site and the API store into: given (and enabled), its hits are answered at the node:http
   * server before fastify (page-cache/cache-front.ts).
   */
  pageCache?: PageCache;
}

/**
 * What every request pays beyond routing, kept to the minimum (bench/hooks.ts measures it): one onRequest hook sets
 * the x-request-id header and, while draining, `connection: close` (set this early so that a response written
 * straight to the socket, such as a page-cache hit, carries them too), and opens a read-after-write scope (an
 * AsyncLocalStorage context, which slows every promise in the request) only when a read replica makes it matter.
 */
export function registerRequestHooks(app: FastifyInstance, deps: Pick<HttpDeps, 'db' | 'draining'>): void {
  const { db, draining } = deps;
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    // Responses finished while draining tell the client (or nginx) not to reuse the connection.
    if (draining()) void reply.header('connection', 'close');
    // Each request is its own read-after-write scope (see adapters/db/database.ts).
    if (db.hasReplica) db.runInScope(done);
    else done();
  });
}

/** Long enough for a percent-encoded Chinese slug (9 bytes per character). */
const MAX_PARAM_LENGTH = 2048;

/** Builds the fastify app (not listening). Routes translate HTTP to service calls; nothing else lives here. */
export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  // pino's Logger is a FastifyBaseLogger; naming the base type keeps FastifyInstance's default generics.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const trustProxy = deps.trustProxy ?? 'loopback';
  const record = deps.observability && createRequestRecorder(deps.logger, deps.observability);
  const front =
    deps.pageCache?.enabled === true
      ? createCacheFront({
          pageCache: deps.pageCache,
          draining: deps.draining,
          trustProxy,
          logger: deps.logger,
          record,
          inFlight: deps.observability?.metrics.httpInFlight,
          maxParamLength: MAX_PARAM_LENGTH,
        })
      : undefined;
  // The server fastify would make (same timeouts), with the page cache's front door before fastify's handler.
  const serverFactory: FastifyServerFactory | undefined =
    front &&
    ((handler, options) => {
      // fastify hands the factory its options with its defaults filled in (fastify.js); typed loosely, so named here.
      const o = options as { http?: ServerOptions | null; keepAliveTimeout?: number; requestTimeout?: number };
      const server = createServer(o.http ?? {}, (req, res) => front.handle(req, res, handler));
      if (o.keepAliveTimeout !== undefined) server.keepAliveTimeout = o.keepAliveTimeout;
      if (o.requestTimeout !== undefined) server.requestTimeout = o.requestTimeout;
      return server;
    });
  const app = Fastify({
    loggerInstance,
    serverFactory,
    // Our own one-line request log (http/observability.ts) replaces fastify's two lines per request.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'reqId' }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: deps.bodyLimitBytes ?? 1024 * 1024,
    // Close idle keep-alive sockets at shutdown so draining does not wait for clients that send nothing.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    trustProxy,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors the router raises before any hook or handler (a malformed %-escape, an over-long parameter) use the
    // same envelope as everything else.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode ?? 400;
      const code = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uri_too_long' : 'bad_url';
      // These bypass the hooks, so the request id header is set here.
      void (reply as unknown as FastifyReply)
        .header('x-request-id', request.id)
        .status(status)
        .send(envelope(code, error.message));
    },
  });
  // The front door looks up only URLs of routes the page cache serves: it learns them as they are added.
  const pageCache = deps.pageCache;
  if (front && pageCache) {
    app.addHook('onRoute', (route) => {
      const hooks = [route.onRequest ?? []].flat();
      if ([route.method].flat().includes('GET') && hooks.some((hook) => pageCache.ownsHook(hook)))
        front.addRoute(route.url);
    });
  }
  registerRequestHooks(app, deps);
  if (deps.observability && record) registerObservability(app, deps.observability, record);
  registerErrorHandling(app);
  registerHealthRoutes(app, {
    draining: deps.draining,
    version: deps.version,
    pingDatabase: deps.pingDatabase,
    report: deps.health,
  });
  // The API in its own encapsulated scope: its auth hook (which refuses unknown Bearer tokens), zod compilers and
  // cookie parsing apply to its routes only, not to /health or /metrics (which has its own Bearer token).
  const api = deps.api;
  if (api) await app.register(async (scope) => registerApi(scope, api));
  const admin = deps.admin;
  if (admin) await app.register(async (scope) => registerAdminUi(scope, admin), { prefix: '/admin' });
  if (deps.mediaFiles) registerMediaFiles(app, deps.mediaFiles);
  // The site in a scope of its own too: its errors render as HTML pages and it parses form posts.
  const site = deps.site;
  if (site) await app.register(async (scope) => registerSite(scope, site));
  deps.routes?.(app);
  await app.ready();
  return app;
}
