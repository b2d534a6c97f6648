import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../../../src/http/server.js';
import { startApi, type ApiHarness, type TestUser } from '../../support/api.js';

export interface AdminHarness {
  api: ApiHarness;
  /** The API plus the admin UI, on the harness's app. */
  server: FastifyInstance;
  /** Signs in through POST /api/auth/login; returns the Cookie header value and the CSRF token. */
  signIn(user: TestUser): Promise<{ cookie: string; csrf: string }>;
  close(): Promise<void>;
}

export async function startAdmin(mediaPublicUrl = '/media'): Promise<AdminHarness> {
  const api = await startApi('sqlite');
  const server = await buildHttpServer({
    logger: api.app.logger,
    db: api.app.db,
    version: 'test',
    draining: () => false,
    pingDatabase: () => api.app.dbTools.ping(),
    api: { blog: api.app.blog, version: 'test', cookies: { secure: false, maxAgeSeconds: 3600 } },
    admin: { auth: api.app.blog.auth, mediaPublicUrl },
  });
  return {
    api,
    server,
    async signIn(user) {
      const res = await server.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: user.password },
      });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
      const session = res.cookies.find((c) => c.name === 'inkstone_session');
      if (!session) throw new Error('no session cookie');
      return { cookie: `inkstone_session=${session.value}`, csrf: res.json<{ csrfToken: string }>().csrfToken };
    },
    async close() {
      await server.close();
      await api.close();
    },
  };
}
