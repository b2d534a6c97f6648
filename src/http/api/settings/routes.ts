import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SettingsService } from '../../../services/settings.js';
import { requireActor } from '../auth-context.js';
import { errorResponses } from '../common-schema.js';

const settingsSchema = z.object({
  title: z.string(),
  description: z.string(),
  postsPerPage: z.number(),
  commentsOpen: z.boolean(),
});

/** Site settings: readable by everybody (a theme or client needs the title), changed by admins. */
export function registerSettingsRoutes(app: FastifyInstance, deps: { settings: SettingsService }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/settings',
    { schema: { tags: ['settings'], summary: 'The site settings', response: { 200: settingsSchema } } },
    () => deps.settings.get(),
  );

  r.patch(
    '/api/settings',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change site settings (admins); only the fields given change',
        body: z.strictObject({
          title: z.string().max(1000).optional(),
          description: z.string().max(5000).optional(),
          postsPerPage: z.number().optional(),
          commentsOpen: z.boolean().optional(),
        }),
        response: { 200: settingsSchema, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (request) => deps.settings.update(requireActor(request), request.body),
  );
}
