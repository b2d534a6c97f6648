import type { FastifyInstance } from 'fastify';
import type { App } from '../app.js';
import { buildHttpServer } from './server.js';
import { webCaching } from './site/wiring.js';

export interface WebRole {
  readonly server: FastifyInstance;
  /** The address it listens on, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  /** Stop accepting, let in-flight requests finish (readiness says 503 meanwhile), then close the listener. */
  drain(): Promise<void>;
}

export async function startWebRole(
  app: App,
  listen: { host: string; port: number },
  routes?: (server: FastifyInstance) => void,
): Promise<WebRole> {
  let draining = false;
  const { pageCache, site } = webCaching(app);
  const server = await buildHttpServer({
    logger: app.logger,
    db: app.db,
    version: app.version.version,
    draining: () => draining,
    pingDatabase: () => app.dbTools.ping(),
    health: () => app.health(),
    trustProxy: app.config.http.trustProxy,
    routes,
    site,
    pageCache,
    observability: {
      metrics: app.metrics,
      requests: app.requests,
      slowRequestMs: app.config.observability.slowRequestMs,
      metricsToken: app.config.observability.metricsToken,
      metricsAllow: app.config.observability.metricsAllow,
      traffic: app.traffic,
      recent: app.recentRequests,
    },
    api: {
      blog: app.blog,
      ops: app.ops,
      version: app.version.version,
      pageCache,
      cookies: {
        secure: app.config.auth.secureCookies,
        maxAgeSeconds: Math.floor(app.config.auth.sessionTtlMs / 1000),
      },
      media: { media: app.media, maxBytes: app.config.media.maxBytes, publicUrl: app.config.media.publicUrl },
    },
    admin: { auth: app.blog.auth, mediaPublicUrl: app.config.media.publicUrl },
    mediaFiles: { storage: app.mediaStorage, publicUrl: app.config.media.publicUrl },
  });
  app.alerts.start(app.config.observability.alerts.evalIntervalMs);
  const url = await server.listen({ host: listen.host, port: listen.port });
  return {
    server,
    url,
    async drain() {
      draining = true;
      // server.close() only drops the keep-alive sockets idle at that instant; a socket whose request finishes
      // later would hold the process until the client's keep-alive timeout. Sweep them while draining.
      const sweep = setInterval(() => server.server.closeIdleConnections(), 100);
      try {
        await server.close();
      } finally {
        clearInterval(sweep);
      }
    },
  };
}
