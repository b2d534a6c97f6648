import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { buildHttpServer } from './server.js';

export interface WebRole {
  readonly server: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  /** Stop accepting, let in-flight requests finish (readiness says 503 meanwhile), then close the listener. */
  drain(): Promise<void>;
}

export async function startWebRole(app: App, listen: { host: string; port: number }): Promise<WebRole> {
  let draining = false;
  const server = await buildHttpServer({
    logger: app.logger,
    db: app.db,
    version: app.version.version,
    draining: () => draining,
    pingDatabase: () => app.dbTools.ping(),
  });
  const url = await server.listen({ host: listen.host, port: listen.port });
  return {
    server,
    url,
    async drain() {
      draining = true;
      await server.close();
    },
  };
}
