import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../adapters/log/logger.js';
import type { Database } from '../adapters/db/database.js';
import { registerErrorHandling } from './error-envelope.js';
import { registerHealthRoutes } from './health.js';

export interface HttpDeps {
  logger: Logger;
  db: Database;
  version: string;
  draining: () => boolean;
  pingDatabase: () => Promise<void>;
  bodyLimitBytes?: number;
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
  await app.ready();
  return app;
}
