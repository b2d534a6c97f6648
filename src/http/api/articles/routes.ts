import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ArticleService } from '../../../services/articles.js';
import type { ArticleSummary, Page } from '../../../adapters/db/repositories/articles.js';
import { requireActor } from '../auth-context.js';
import type { PageCache } from '../../page-cache/page-cache.js';
import { cacheTag } from '../../../services/content-changes.js';
import { idParam, meta } from '../common-schema.js';
import { articleDto, articleSummaryDto } from './dto.js';
import { JSON_TYPE, pageJsonBody } from './page-json.js';
import { compiledSerializerCompiler } from '../compiled-serializer.js';
import {
  createBody,
  createResponse,
  deleteResponse,
  getResponse,
  listQuery,
  listResponse,
  manageQuery,
  manageResponse,
  publishBody,
  refParam,
  searchQuery,
  updateBody,
  writeResponse,
} from './schema.js';

const page = (p: Page<ArticleSummary>, pageNo: number, limit: number) => ({
  data: p.items.map(articleSummaryDto),
  meta: meta(pageNo, limit, p.total),
});

export function registerArticleRoutes(
  app: FastifyInstance,
  deps: { articles: ArticleService; pageCache?: PageCache },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { articles, pageCache } = deps;
  // Anonymous reads are the hot path (the site's readers, feeds, apps): cached and invalidated like the pages, and
  // written with a serializer compiled from their schemas instead of a zod check per response (compiled-serializer.ts).
  // A signed-in reader may see drafts at the same URL, so the responses vary by credentials.
  const publicRead = (tags: readonly string[]) => {
    if (!pageCache) return { serializerCompiler: compiledSerializerCompiler };
    const hooks = pageCache.route({ tags, vary: 'Authorization, Cookie' });
    return { serializerCompiler: compiledSerializerCompiler, onRequest: hooks.onRequest, onSend: hooks.onSend };
  };

  r.get(
    '/api/articles',
    {
      ...publicRead([cacheTag.lists]),
      schema: {
        tags: ['articles'],
        summary: 'Published articles, newest first',
        querystring: listQuery,
        response: listResponse,
      },
    },
    async (request, reply) => {
      const { page: p, limit, tag, author } = request.query;
      const query = { page: p, limit, tagSlug: tag, authorId: author };
      // On SQLite the database writes the page's JSON itself (article-summary-json.ts): the same bytes, far less CPU.
      const written = await articles.listLiveJson(query);
      // Sent as bytes, which fastify passes on without its serializer (the type provider only knows the objects).
      if (written) return (reply as FastifyReply).type(JSON_TYPE).send(pageJsonBody(written, p, limit));
      return page(await articles.listLive(query), p, limit);
    },
  );

  r.get(
    '/api/articles/search',
    {
      ...publicRead([cacheTag.lists]),
      schema: {
        tags: ['articles'],
        summary: 'Full-text search, best match first',
        querystring: searchQuery,
        response: listResponse,
      },
    },
    async (request) => {
      const { q, page: p, limit } = request.query;
      return page(await articles.search(q, p, limit), p, limit);
    },
  );

  r.get(
    '/api/manage/articles',
    {
      schema: {
        tags: ['articles'],
        summary: 'Articles of every status: your own (authors) or all (editors, admins)',
        querystring: manageQuery,
        response: manageResponse,
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { page: p, limit, tag, author, status } = request.query;
      return page(
        await articles.listManaged(actor, status, { page: p, limit, tagSlug: tag, authorId: author }),
        p,
        limit,
      );
    },
  );

  r.get(
    '/api/articles/:ref',
    {
      ...publicRead([]),
      schema: { tags: ['articles'], summary: 'One article by id or slug', params: refParam, response: getResponse },
    },
    async (request, reply) => {
      const { ref } = request.params;
      // Up to 15 digits is an id (a safe integer on every engine); a longer run of digits can only be a slug.
      const byId = /^\d{1,15}$/.test(ref);
      const key = byId ? { id: Number(ref) } : { slug: ref };
      // A live article is the same for every reader: on SQLite the database writes its JSON (article-summary-json.ts).
      // Anything else (not live, not there, another engine) goes through `get`, which decides who may see it.
      const written = await articles.getLiveJson(key);
      if (written) {
        pageCache?.tag(request, cacheTag.article(written.id));
        return (reply as FastifyReply).type(JSON_TYPE).send(written.json);
      }
      const article = await articles.get(request.auth?.actor, key);
      pageCache?.tag(request, cacheTag.article(article.id));
      return articleDto(article);
    },
  );

  r.post(
    '/api/articles',
    { schema: { tags: ['articles'], summary: 'Create a draft', body: createBody, response: createResponse } },
    async (request, reply) => {
      const article = await articles.create(requireActor(request), request.body);
      return reply.status(201).send(articleDto(article));
    },
  );

  r.patch(
    '/api/articles/:id',
    {
      schema: {
        tags: ['articles'],
        summary: 'Change an article',
        params: idParam,
        body: updateBody,
        response: writeResponse,
      },
    },
    async (request) => articleDto(await articles.update(requireActor(request), request.params.id, request.body)),
  );

  r.post(
    '/api/articles/:id/publish',
    {
      schema: {
        tags: ['articles'],
        summary: 'Publish now, or schedule for a future time',
        params: idParam,
        body: publishBody,
        response: writeResponse,
      },
    },
    async (request) => {
      const at = request.body?.at;
      return articleDto(
        await articles.publish(requireActor(request), request.params.id, at ? new Date(at) : undefined),
      );
    },
  );

  r.post(
    '/api/articles/:id/unpublish',
    { schema: { tags: ['articles'], summary: 'Back to draft', params: idParam, response: writeResponse } },
    async (request) => articleDto(await articles.unpublish(requireActor(request), request.params.id)),
  );

  r.delete(
    '/api/articles/:id',
    { schema: { tags: ['articles'], summary: 'Delete an article', params: idParam, response: deleteResponse } },
    async (request, reply) => {
      await articles.delete(requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
