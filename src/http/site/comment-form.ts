import type { FastifyInstance } from 'fastify';
import type { CommentService } from '../../services/comments.js';
import type { SiteReader } from '../../services/site/site-reader.js';
import { AppError, ValidationError } from '../../domain/errors.js';
import { sendPage } from './render.js';
import { cjkLang } from './text.js';
import type { SiteInfo } from './templates/layout.js';
import { articleBody } from './templates/article.js';
import { articlePath } from './templates/parts.js';

const FIELDS = ['name', 'email', 'body', 'website'] as const;

/** The reader's comment form: posts for moderation, then back to the article (303), or the form again (422). */
export function registerCommentForm(
  app: FastifyInstance,
  deps: { reader: SiteReader; comments: CommentService; site: SiteInfo },
) {
  app.post<{ Params: { slug: string } }>('/articles/:slug/comments', async (request, reply) => {
    const raw = request.body;
    if (raw === null || typeof raw !== 'object') throw new AppError('bad_request', 'expected a form', 400);
    const form = raw as Record<string, unknown>;
    const input = Object.fromEntries(FIELDS.map((f) => [f, typeof form[f] === 'string' ? form[f] : ''])) as Record<
      (typeof FIELDS)[number],
      string
    >;
    const view = await deps.reader.article(request.params.slug);
    try {
      await deps.comments.post(view.article.id, input, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors: Record<string, string> = {};
      for (const d of err.details as Array<{ path?: string; message?: string }>) {
        if (d.path) errors[d.path.replace(/^\//, '')] = d.message ?? 'invalid';
      }
      const { article } = view;
      return sendPage(
        reply,
        deps.site,
        {
          title: article.title,
          description: article.excerpt,
          path: articlePath(article.slug),
          type: 'article',
          lang: cjkLang(article.title),
          noindex: true,
        },
        articleBody(view, {
          values: { name: input.name, email: input.email, body: input.body },
          errors,
          pending: false,
        }),
        422,
      );
    }
    return reply.redirect(`${articlePath(view.article.slug)}?comment=pending#comments`, 303);
  });
}
