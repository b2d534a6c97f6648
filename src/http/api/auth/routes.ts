import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuthService } from '../../../services/auth.js';
import type { UserRecord } from '../../../adapters/db/repositories/users.js';
import { requireActor, setSessionCookie, SESSION_COOKIE, type CookieSettings } from '../auth-context.js';
import { loginBody, loginResponse, logoutResponse, sessionResponse } from './schema.js';

export const userDto = (u: UserRecord) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  bio: u.bio,
  role: u.role,
  createdAt: u.created_at.toISOString(),
});

export function registerAuthRoutes(app: FastifyInstance, deps: { auth: AuthService; cookies: CookieSettings }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Sign in; sets the session cookie', body: loginBody, response: loginResponse },
    },
    async (request, reply) => {
      const result = await deps.auth.login({
        email: request.body.email,
        password: request.body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      setSessionCookie(reply, result.sessionToken, deps.cookies);
      return { user: userDto(result.user), csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() };
    },
  );

  r.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out: ends the session', response: logoutResponse } },
    async (request, reply) => {
      requireActor(request);
      const token = request.cookies[SESSION_COOKIE];
      if (request.auth?.via === 'session' && token) await deps.auth.logout(token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/auth/session',
    { schema: { tags: ['auth'], summary: 'Who is signed in', response: sessionResponse } },
    async (request) => {
      const actor = requireActor(request);
      const user = await deps.auth.currentUser(actor);
      return { user: userDto(user), via: request.auth!.via, csrfToken: request.auth!.csrfToken ?? null };
    },
  );
}
