import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CommentService } from '../../../services/comments.js';
import type { CommentRecord } from '../../../adapters/db/repositories/comments.js';
import { requireActor } from '../auth-context.js';
import { errorResponses, idParam, iso, isoDate, meta, pageMeta, pageQuery, safeText } from '../common-schema.js';

/** The API's default page of comments: as many as the site's article page shows. */
const COMMENTS_PER_PAGE = 50;

const publicComment = z.object({ id: z.number(), name: z.string(), body: z.string(), createdAt: isoDate });
const moderatedComment = publicComment.extend({
  articleId: z.number(),
  email: z.string(),
  status: z.enum(['pending', 'approved', 'spam']),
});
const publicDto = (c: CommentRecord) => ({
  id: c.id,
  name: c.author_name,
  body: c.body,
  createdAt: iso(c.created_at),
});
const moderatedDto = (c: CommentRecord) => ({
  ...publicDto(c),
  articleId: c.article_id,
  email: c.author_email,
  status: c.status,
});

export function registerCommentRoutes(app: FastifyInstance, deps: { comments: CommentService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { comments } = deps;

  r.get(
    '/api/articles/:id/comments',
    {
      schema: {
        tags: ['comments'],
        summary: 'Approved comments under a published article, oldest first, a page at a time',
        params: idParam,
        querystring: z.strictObject({
          page: pageQuery.page,
          limit: z.coerce.number().int().min(1).max(100).default(COMMENTS_PER_PAGE),
        }),
        response: { 200: z.object({ data: z.array(publicComment), meta: pageMeta }), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { page, limit } = request.query;
      const result = await comments.listApproved(request.params.id, page, limit);
      return { data: result.items.map(publicDto), meta: meta(page, limit, result.total) };
    },
  );

  r.post(
    '/api/articles/:id/comments',
    {
      schema: {
        tags: ['comments'],
        summary: 'Post a comment; it waits for moderation',
        params: idParam,
        body: z.strictObject({
          name: safeText(1, 120),
          email: safeText(3, 191),
          body: safeText(1, 5000),
          website: z.string().max(500).optional().describe('Leave empty: a honeypot for bots'),
        }),
        response: {
          202: z.object({ status: z.literal('pending') }),
          ...errorResponses(400, 403, 404, 413, 415, 422, 429),
        },
      },
    },
    async (request, reply) => {
      await comments.post(request.params.id, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      return reply.status(202).send({ status: 'pending' as const });
    },
  );

  r.get(
    '/api/comments',
    {
      schema: {
        tags: ['comments'],
        summary: 'The moderation queue (editors, admins)',
        querystring: z.strictObject({
          ...pageQuery,
          status: z.enum(['pending', 'approved', 'spam']).default('pending'),
        }),
        response: {
          200: z.object({ data: z.array(moderatedComment), meta: pageMeta }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { status, page, limit } = request.query;
      const result = await comments.listForModeration(requireActor(request), status, page, limit);
      return { data: result.items.map(moderatedDto), meta: meta(page, limit, result.total) };
    },
  );

  for (const [action, status] of [
    ['approve', 'approved'],
    ['spam', 'spam'],
  ] as const) {
    r.post(
      `/api/comments/:id/${action}`,
      {
        schema: {
          tags: ['comments'],
          summary: action === 'approve' ? 'Approve a comment' : 'Mark a comment as spam',
          params: idParam,
          response: { 200: moderatedComment, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => moderatedDto(await comments.moderate(requireActor(request), request.params.id, status)),
    );
  }

  r.delete(
    '/api/comments/:id',
    {
      schema: {
        tags: ['comments'],
        summary: 'Delete a comment',
        params: idParam,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await comments.delete(requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
