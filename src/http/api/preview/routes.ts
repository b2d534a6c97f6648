import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createMarkdownRenderer } from '../../../services/content/markdown.js';
import { requireActor } from '../auth-context.js';
import { errorResponses, safeText } from '../common-schema.js';

/**
 * POST /api/preview: markdown -> the HTML a reader would get, through the same renderer and sanitizer as saving
 * an article (a renderer of its own: they hold no state). Signed-in users only; nothing is stored.
 */
export function registerPreviewRoutes(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const render = createMarkdownRenderer();
  r.post(
    '/api/preview',
    {
      schema: {
        tags: ['articles'],
        summary: 'Render markdown as an article would be rendered (the editor preview)',
        body: z.strictObject({ markdown: safeText(0, 500_000) }),
        response: { 200: z.object({ html: z.string() }), ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    (request) => {
      requireActor(request);
      return { html: render(request.body.markdown) };
    },
  );
}
