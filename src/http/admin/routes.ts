import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import type { AuthService } from '../../services/auth.js';
import { AppError } from '../../domain/errors.js';
import { SESSION_COOKIE } from '../api/auth-context.js';
import { adminCsp, adminHeaders } from './headers.js';
import { loadAdminAssets } from './assets.js';
import { errorPage, loginPage, mayOpen, signedInPage, type Viewer } from './layout.js';
import { articlesBody, commentsBody, dashboardBody, editorBody, mediaBody, usersBody } from './pages.js';
import { opsBody, settingsBody } from './ops-pages.js';

export interface AdminUiDeps {
  auth: AuthService;
  /** config.media.publicUrl: images may come from there when it is another origin. */
  mediaPublicUrl: string;
}

const ARTICLE_STATUSES = new Set(['', 'draft', 'scheduled', 'published']);
const COMMENT_STATUSES = new Set(['pending', 'approved', 'spam']);

/**
 * The admin UI under /admin (register with `{ prefix: '/admin' }`): server-rendered shells that say who is signed
 * in and which sections they may open, plus the small modules under /admin/assets/ that do everything else
 * through the JSON API. Pages need a session cookie; without one they redirect to the login page.
 */
export async function registerAdminUi(app: FastifyInstance, deps: AdminUiDeps): Promise<void> {
  await app.register(cookie);
  const assets = await loadAdminAssets();
  const headers = adminHeaders(adminCsp(deps.mediaPublicUrl));

  app.addHook('onSend', (_request, reply, payload, done) => {
    void reply.headers(headers);
    done(null, payload);
  });

  app.setNotFoundHandler((request, reply) =>
    html(reply, 404, errorPage(404, 'Not found', `There is no admin page at ${request.url.split('?')[0]}.`)),
  );
  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    const status = err instanceof AppError ? err.status : (err.statusCode ?? 500);
    if (status >= 500) {
      request.log.error({ err, url: request.url }, 'admin page failed');
      // A domain 5xx (the database did not answer in time) keeps its status: a retry may well succeed.
      return html(reply, status, errorPage(status, 'Something went wrong', 'The error has been logged.'));
    }
    const title = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Bad request';
    return html(reply, status, errorPage(status, title, err.message));
  });

  /** The signed-in viewer of a page, or undefined after sending the redirect to the login page. */
  async function viewerOf(request: FastifyRequest, reply: FastifyReply): Promise<Viewer | undefined> {
    const token = request.cookies[SESSION_COOKIE];
    const signedIn = token ? await deps.auth.fromSessionToken(token) : undefined;
    if (!signedIn) {
      const next = encodeURIComponent(request.url);
      void reply.redirect(`/admin/login?next=${next}`, 302);
      return undefined;
    }
    const user = await deps.auth.currentUser(signedIn.actor);
    return { actor: signedIn.actor, name: user.name };
  }

  function page(section: string, title: string, script: string, body: (request: FastifyRequest) => string) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const viewer = await viewerOf(request, reply);
      if (!viewer) return reply;
      if (!mayOpen(viewer.actor, section)) {
        return html(reply, 403, errorPage(403, 'Not allowed', 'Your role may not open this section.'));
      }
      return html(reply, 200, signedInPage({ viewer, section, title, script, body: body(request) }));
    };
  }

  app.get(
    '/',
    page('dashboard', 'Dashboard', 'dashboard.js', () => dashboardBody),
  );
  app.get(
    '/articles',
    page('articles', 'Articles', 'articles.js', (request) => articlesBody(queryValue(request, 'status', ''))),
  );
  app.get(
    '/articles/new',
    page('articles', 'New article', 'editor.js', () => editorBody(undefined)),
  );
  app.get(
    '/articles/:id',
    page('articles', 'Edit article', 'editor.js', (request) => editorBody(articleIdOf(request))),
  );
  app.get(
    '/comments',
    page('comments', 'Comments', 'comments.js', (request) => commentsBody(queryValue(request, 'status', 'pending'))),
  );
  app.get(
    '/media',
    page('media', 'Media library', 'media.js', () => mediaBody),
  );
  app.get(
    '/users',
    page('users', 'Users', 'users.js', () => usersBody),
  );
  app.get(
    '/settings',
    page('settings', 'Site settings', 'settings.js', () => settingsBody),
  );
  app.get(
    '/ops',
    page('ops', 'Operations', 'ops.js', () => opsBody),
  );

  app.get('/login', async (request, reply) => {
    const next = safeNext((request.query as Record<string, unknown>).next);
    const token = request.cookies[SESSION_COOKIE];
    if (token && (await deps.auth.fromSessionToken(token))) return reply.redirect(next, 302);
    return html(reply, 200, loginPage(next));
  });

  app.get('/assets/:file', (request, reply) => {
    const asset = assets.get((request.params as { file: string }).file);
    if (!asset) {
      return html(reply, 404, errorPage(404, 'Not found', 'No such admin file.'));
    }
    return reply.type(asset.type).send(asset.body);
  });
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(body);
}

/** A filter from the query string; anything outside the known values is a 400, not a silently empty list. */
function queryValue(request: FastifyRequest, name: 'status', fallback: string): string {
  const raw = (request.query as Record<string, unknown>)[name];
  const value = raw === undefined ? fallback : raw;
  const allowed = request.url.startsWith('/admin/comments') ? COMMENT_STATUSES : ARTICLE_STATUSES;
  if (typeof value !== 'string' || !allowed.has(value)) {
    throw new AppError('invalid_request', `unknown ${name} filter`, 400);
  }
  return value;
}

function articleIdOf(request: FastifyRequest): number {
  const id = (request.params as { id: string }).id;
  if (!/^[1-9]\d{0,14}$/.test(id)) throw new AppError('not_found', 'There is no such article.', 404);
  return Number(id);
}

/** Where to go after signing in: only an admin path on this site, never another origin. */
function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/admin') || value.startsWith('/admin/login')) return '/admin';
  if (/[\\\s]/.test(value) || value.startsWith('//')) return '/admin';
  return value;
}
