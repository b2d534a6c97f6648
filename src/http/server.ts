import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from '../adapters/log/logger.js';
import type { Database } from '../adapters/db/database.js';
import { envelope, registerErrorHandling } from './error-envelope.js';
import { registerHealthRoutes } from './health.js';
import { registerApi, type ApiDeps } from './api/index.js';

export interface HttpDeps {
  logger: Logger;
  db: Database;
  version: string;
  draining: () => boolean;
  pingDatabase: () => Promise<void>;
  bodyLimitBytes?: number;
  /** The blog's JSON API; left out, the server has health routes only. */
  api?: ApiDeps;
}

/** Builds the fastify app (not listening). Routes translate HTTP to service calls; nothing else lives here. */
export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  // pino's Logger is a FastifyBaseLogger; naming the base type keeps FastifyInstance's default generics.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    disableRequestLogging: true,
    bodyLimit: deps.bodyLimitBytes ?? 1024 * 1024,
    // Close idle keep-alive sockets at shutdown so draining does not wait for clients that send nothing.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    trustProxy: true,
    // Long enough for a percent-encoded Chinese slug (9 bytes per character).
    routerOptions: { maxParamLength: 2048 },
    // Errors the router raises before any hook or handler (a malformed %-escape, an over-long parameter) use the
    // same envelope as everything else.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode ?? 400;
      const code = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uri_too_long' : 'bad_url';
      void (reply as unknown as FastifyReply).status(status).send(envelope(code, error.message));
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // Each request is its own read-after-write scope (see adapters/db/database.ts).
    deps.db.runInScope(done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ip: request.ip,
      },
      'request',
    );
    done();
  });
  registerErrorHandling(app);
  registerHealthRoutes(app, { draining: deps.draining, version: deps.version, pingDatabase: deps.pingDatabase });
  if (deps.api) await registerApi(app, deps.api);
  await app.ready();
  return app;
}
