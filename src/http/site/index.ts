import type { FastifyError, FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { PageCache } from '../page-cache/page-cache.js';
import type { SiteReader } from '../../services/site/site-reader.js';
import type { CommentService } from '../../services/comments.js';
import { AppError, RateLimitedError } from '../../domain/errors.js';
import { envelope, logUnavailable } from '../error-envelope.js';
import { matchesIfNoneMatch } from '../page-cache/etag.js';
import { buildAssets } from './assets.js';
import { registerPages } from './pages.js';
import { registerFeedRoutes } from './feed-routes.js';
import { registerCommentForm } from './comment-form.js';
import { sendErrorPage } from './render.js';
import type { SiteSettings } from '../../domain/settings.js';

export interface SiteDeps {
  reader: SiteReader;
  comments: CommentService;
  pageCache: PageCache;
  /** The admin-editable title and description, read again at most every few seconds (see below). */
  settings: () => Promise<Pick<SiteSettings, 'title' | 'description'>>;
  /** Absolute base URL, no trailing slash. */
  url: string;
}

const SETTINGS_TTL_MS = 2000;

/** Paths that belong to machines, not readers: an unknown one there keeps the JSON envelope. */
const JSON_PATHS = /^\/(api|health|metrics)(\/|$)/;

/** The public, server-rendered site. Register it in its own scope: its error pages are HTML, the API's JSON. */
export async function registerSite(app: FastifyInstance, deps: SiteDeps): Promise<void> {
  const assets = buildAssets();
  // One object every template reads. Rendering (never a cache hit) refreshes its title and description from the
  // settings at most every SETTINGS_TTL_MS, so a change shows on every instance within seconds without a query per
  // page; the change itself drops the cached pages (services/content-changes.ts).
  const first = await deps.settings();
  const site = { name: first.title, description: first.description, url: deps.url, cssHref: assets.css.path };
  let readAt = Date.now();
  // A callback hook: within the TTL (nearly every request) it costs no promise or turn of the microtask queue.
  app.addHook('preHandler', (_request, _reply, done) => {
    if (Date.now() - readAt < SETTINGS_TTL_MS) return done();
    readAt = Date.now();
    deps.settings().then((now) => {
      site.name = now.title;
      site.description = now.description;
      done();
    }, done);
  });
  await app.register(formbody);

  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    const path = request.url.split('?')[0]!;
    if (err instanceof AppError) {
      if (err instanceof RateLimitedError) void reply.header('retry-after', String(err.retryAfterSeconds));
      logUnavailable(request, err);
      return sendErrorPage(reply, site, err.status, path, err.status === 404 ? undefined : err.message);
    }
    const status = err.statusCode;
    if (status !== undefined && status >= 400 && status < 500) return sendErrorPage(reply, site, status, path);
    // A bug: logged with the request, the reader sees a plain page (never the error or its stack).
    request.log.error(
      { err, route: request.routeOptions.url ?? 'unmatched', method: request.method },
      'unhandled error',
    );
    return sendErrorPage(reply, site, 500, path);
  });

  app.get<{ Params: { file: string } }>('/assets/:file', (request, reply) => {
    const asset = assets.byPath.get(`/assets/${request.params.file}`);
    if (!asset) return sendErrorPage(reply, site, 404, request.url);
    void reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', asset.etag)
      .type(asset.contentType);
    if (matchesIfNoneMatch(request.headers['if-none-match'], asset.etag)) return reply.code(304).send();
    return reply.send(asset.body);
  });

  registerPages(app, { reader: deps.reader, site, pageCache: deps.pageCache });
  registerFeedRoutes(app, { reader: deps.reader, site, pageCache: deps.pageCache });
  registerCommentForm(app, { reader: deps.reader, comments: deps.comments, site });

  // Any other GET is a reader following a dead link: the HTML 404 page (machines' paths keep their JSON).
  app.get('/*', (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (JSON_PATHS.test(path)) return reply.code(404).send(envelope('not_found', `no route for GET ${path}`));
    return sendErrorPage(reply, site, 404, path);
  });
}
