import type { FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { registerLazyApiDocs } from './docs.js';
import type { BlogServices } from '../../app-blog.js';
import { registerAuthContext, type CookieSettings } from './auth-context.js';
import { registerAuthRoutes } from './auth/routes.js';
import { registerTokenRoutes } from './tokens/routes.js';
import { registerArticleRoutes } from './articles/routes.js';
import { registerTagRoutes } from './tags/routes.js';
import { registerCommentRoutes } from './comments/routes.js';
import { registerUserRoutes } from './users/routes.js';
import { registerOpsRoutes } from './ops/routes.js';
import { registerSettingsRoutes } from './settings/routes.js';
import type { OpsConsole } from '../../ops/dashboard/ops-console.js';
import { registerMediaRoutes, type MediaRouteDeps } from './media/routes.js';
import { registerPreviewRoutes } from './preview/routes.js';
import type { PageCache } from '../page-cache/page-cache.js';

export interface ApiDeps {
  blog: BlogServices;
  /** The ops dashboard's use cases; absent, /api/ops is not mounted. */
  ops?: OpsConsole;
  cookies: CookieSettings;
  version: string;
  /** Uploads under /api/media; left out, those routes are not mounted. */
  media?: MediaRouteDeps;
  /** Caches anonymous article reads; left out, every read goes to the database. */
  pageCache?: PageCache;
}

/** The JSON API under /api: zod schemas on every route, the OpenAPI document and its docs page (built on first use). */
export async function registerApi(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie);
  // Before the routes, so that it records every one of them for the OpenAPI document it builds on first use.
  registerLazyApiDocs(app, { version: deps.version });

  registerAuthContext(app, deps.blog.auth);
  registerAuthRoutes(app, { auth: deps.blog.auth, cookies: deps.cookies });
  registerTokenRoutes(app, { auth: deps.blog.auth });
  registerArticleRoutes(app, { articles: deps.blog.articles, pageCache: deps.pageCache });
  registerTagRoutes(app, { tags: deps.blog.tags });
  registerCommentRoutes(app, { comments: deps.blog.comments });
  registerUserRoutes(app, { users: deps.blog.users });
  registerSettingsRoutes(app, { settings: deps.blog.settings });
  if (deps.ops) registerOpsRoutes(app, { ops: deps.ops });
  if (deps.media) await registerMediaRoutes(app, deps.media);
  registerPreviewRoutes(app);
}
