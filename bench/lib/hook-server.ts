/**
 * One variant of the request path for bench/hooks.ts, in its own process: a route answering a cached 25 KB page,
 * behind plain fastify, fastify plus one AsyncLocalStorage scope per request, Inkstone's server core (request id,
 * draining header, read-after-write scope when a replica is configured, error envelope) and then the full
 * observability (metrics, alert window, one info log line per request to a daily file), and that again with the
 * page cache's hooks answering every request but the first from the in-process cache, first in the route's
 * onRequest hook, then at the server's front door, before fastify (page-cache/cache-front.ts).
 *
 *   tsx bench/lib/hook-server.ts <port> <variant> <storage dir>
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/index.js';
import { createApp } from '../../src/app.js';
import { buildHttpServer } from '../../src/http/server.js';
import { createPageCache } from '../../src/http/page-cache/page-cache.js';
import { createMemoryCache } from '../../src/adapters/cache/memory-cache.js';

const [portArg, variant, storage] = process.argv.slice(2);
const body = Buffer.alloc(25 * 1024, 'x');
const route = (app: FastifyInstance) =>
  app.get('/bench/body', (_request, reply) => reply.header('content-type', 'text/html; charset=utf-8').send(body));
// The site's cache-hit path: the page cache's route hooks in front of a handler that only runs on the first request.
const pageCache = createPageCache({ cache: createMemoryCache(), enabled: true });
const cachedRoute = (app: FastifyInstance) =>
  app.get('/bench/body', pageCache.route({ tags: [] }), (_request, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').send(body.toString('latin1')),
  );

const config = loadConfig({
  env: {
    APP_ENV: 'production',
    APP_KEY: 'bench-key-bench-key-bench-key-bench-key',
    DATABASE_URL: `sqlite:${storage}/hooks.sqlite`,
    STORAGE_DIR: storage,
    LOG_LEVEL: variant === 'full, log at warn' ? 'warn' : 'info',
    LOG_CHANNELS: 'daily',
  },
  cwd: process.cwd(),
  envFile: '/dev/null',
});
const app = await createApp(config);

let server: FastifyInstance;
if (variant === 'fastify') {
  server = Fastify();
  route(server);
} else if (variant === 'fastify + ALS scope') {
  server = Fastify();
  const scopes = new AsyncLocalStorage<{ wrote: boolean }>();
  server.addHook('onRequest', (_request, _reply, done) => scopes.run({ wrote: false }, done));
  route(server);
} else {
  const observe = variant !== 'core';
  server = await buildHttpServer({
    logger: app.logger,
    db: app.db,
    version: 'bench',
    draining: () => false,
    pingDatabase: () => app.dbTools.ping(),
    routes: variant?.startsWith('full, page cache hit') ? cachedRoute : route,
    pageCache: variant === 'full, page cache hit, front door' ? pageCache : undefined,
    observability: observe
      ? {
          metrics: app.metrics,
          requests: app.requests,
          slowRequestMs: config.observability.slowRequestMs,
          metricsToken: undefined,
          metricsAllow: [],
        }
      : undefined,
  });
}
await server.listen({ host: '127.0.0.1', port: Number(portArg) });
