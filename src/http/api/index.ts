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

export interface ApiDeps {
  blog: BlogServices;
  cookies: CookieSettings;
  version: string;
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
  registerArticleRoutes(app, { articles: deps.blog.articles });
  registerTagRoutes(app, { tags: deps.blog.tags });
  registerCommentRoutes(app, { comments: deps.blog.comments });
  registerUserRoutes(app, { users: deps.blog.users });
}
