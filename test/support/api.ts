import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApp, type App } from '../../src/app.js';
import { buildHttpServer } from '../../src/http/server.js';
import { createLogging } from '../../src/adapters/log/logger.js';
import type { Dialect } from '../../src/config/index.js';
import type { Role } from '../../src/domain/roles.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { testConfig } from './config.js';
import { webCaching } from '../../src/http/site/wiring.js';

export interface TestUser {
  id: number;
  email: string;
  password: string;
  role: Role;
  /** An API token of this user, for `Authorization: Bearer`. */
  token: string;
}

export interface ApiHarness {
  app: App;
  server: FastifyInstance;
  db: TestDatabase;
  users: Record<'admin' | 'editor' | 'author' | 'author2', TestUser>;
  /** A request as `who` (by API token), or anonymous. */
  call(options: InjectOptions & { as?: TestUser }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * A migrated database of the dialect, the fully wired app and its HTTP server (requests through fastify.inject:
 * the real routing, hooks, parsers and serializers, minus the socket), and one user per role with a token.
 */
export async function startApi(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: {
    /** Mount the public site and cache pages and anonymous API reads, as the web role does. */ web?: boolean;
  } = {},
): Promise<ApiHarness> {
  const db = await createTestDatabase(dialect);
  const config = testConfig({ DATABASE_URL: db.url, ...env });
  const logging = createLogging(config);
  const logger = logging.logger;
  const app = await createApp(config, { logging });
  await app.migrations.migrate({ force: true });
  const web = options.web ? webCaching(app) : undefined;
  const server = await buildHttpServer({
    logger,
    db: app.db,
    version: 'test',
    draining: () => false,
    pingDatabase: () => app.dbTools.ping(),
    api: {
      blog: app.blog,
      ops: app.ops,
      version: 'test',
      cookies: { secure: false, maxAgeSeconds: 3600 },
      media: { media: app.media, maxBytes: config.media.maxBytes, publicUrl: config.media.publicUrl },
      pageCache: web?.pageCache,
    },
    mediaFiles: { storage: app.mediaStorage, publicUrl: config.media.publicUrl },
    site: web?.site,
  });
  const users = {} as ApiHarness['users'];
  for (const [key, role] of [
    ['admin', 'admin'],
    ['editor', 'editor'],
    ['author', 'author'],
    ['author2', 'author'],
  ] as const) {
    const password = `pw-${key}-0123456789`;
    const { user } = await app.blog.users.create({ email: `${key}@example.com`, role, name: key, password });
    const { token } = await app.blog.auth.createApiToken({ id: user.id, role }, 'tests');
    users[key] = { id: user.id, email: user.email, password, role, token };
  }
  return {
    app,
    server,
    db,
    users,
    call: ({ as, headers, ...rest }) =>
      server.inject({
        ...rest,
        headers: { ...(as ? { authorization: `Bearer ${as.token}` } : {}), ...headers },
      }),
    async close() {
      await server.close();
      await app.close();
      await db.drop();
    },
  };
}
