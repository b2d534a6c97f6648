import '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService, SignedIn } from '../../services/auth.js';
import { AppError, UnauthorizedError } from '../../domain/errors.js';
import type { Actor } from '../../domain/policy.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: SignedIn | null;
  }
}

export const SESSION_COOKIE = 'inkstone_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CookieSettings {
  secure: boolean;
  maxAgeSeconds: number;
}

/**
 * Works out who is asking, once per request, before the body is read: a Bearer API token, else the session
 * cookie. Requests with neither cost nothing here. A cookie-authenticated write must carry the session's CSRF
 * token in X-CSRF-Token (a token-authenticated one cannot be forged by another site, so it needs none).
 */
export function registerAuthContext(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('auth', null);

  async function authenticate(
    request: FastifyRequest,
    reply: FastifyReply,
    header: string | undefined,
    cookie: string,
  ) {
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const signedIn = match ? await auth.fromApiToken(match[1]!) : undefined;
      if (!signedIn) throw new AppError('invalid_token', 'the API token is missing, wrong, revoked or expired', 401);
      request.auth = signedIn;
      return;
    }
    const signedIn = await auth.fromSessionToken(cookie);
    if (!signedIn) {
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    request.auth = signedIn;
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== signedIn.csrfToken) {
        throw new AppError('csrf_failed', 'missing or wrong X-CSRF-Token header for a cookie-authenticated write', 403);
      }
    }
  }

  // A callback hook: an anonymous request (most of them: readers, feeds, apps) passes without a promise or a turn
  // of the microtask queue, which an async hook costs every request.
  app.addHook('onRequest', (request, reply, done) => {
    const header = request.headers.authorization;
    const cookie = request.cookies[SESSION_COOKIE];
    if (header === undefined && (cookie === undefined || cookie === '')) return done();
    authenticate(request, reply, header, cookie ?? '').then(() => done(), done);
  });
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.auth) throw new UnauthorizedError();
  return request.auth.actor;
}

export function setSessionCookie(reply: FastifyReply, token: string, settings: CookieSettings): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secure,
    maxAge: settings.maxAgeSeconds,
  });
}
