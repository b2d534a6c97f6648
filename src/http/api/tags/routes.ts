import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TagService } from '../../../services/tags.js';
import type { TagRecord } from '../../../adapters/db/repositories/tags.js';
import { requireActor } from '../auth-context.js';
import { errorResponses, idParam, safeText } from '../common-schema.js';

const tagSchema = z.object({ id: z.number(), name: z.string(), slug: z.string(), articleCount: z.number() });
const tagDto = (t: TagRecord) => ({ id: t.id, name: t.name, slug: t.slug, articleCount: t.article_count });
const writeErrors = errorResponses(400, 401, 403, 404, 409, 413, 415, 422);

export function registerTagRoutes(app: FastifyInstance, deps: { tags: TagService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/tags',
    {
      schema: {
        tags: ['tags'],
        summary: 'Every tag with its article count',
        response: { 200: z.object({ data: z.array(tagSchema) }) },
      },
    },
    async () => ({ data: (await deps.tags.list()).map(tagDto) }),
  );

  r.patch(
    '/api/tags/:id',
    {
      schema: {
        tags: ['tags'],
        summary: 'Rename a tag (editors, admins)',
        params: idParam,
        body: z.strictObject({ name: safeText(1, 100) }),
        response: { 200: tagSchema, ...writeErrors },
      },
    },
    async (request) => tagDto(await deps.tags.rename(requireActor(request), request.params.id, request.body.name)),
  );

  r.post(
    '/api/tags/:id/merge',
    {
      schema: {
        tags: ['tags'],
        summary: 'Merge this tag into another: its articles move over, this tag is deleted (editors, admins)',
        params: idParam,
        body: z.strictObject({ into: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
        response: { 200: tagSchema, ...writeErrors },
      },
    },
    async (request) => tagDto(await deps.tags.merge(requireActor(request), request.params.id, request.body.into)),
  );
}
