import { AppError } from '../domain/errors.js';
import type { ArticleAccess } from './article-access.js';
import type { ArticleService, ArticleServiceDeps } from './articles.js';

// Publishing: now, at a future time (scheduled), or back to draft.

export function createArticlePublishing(
  deps: ArticleServiceDeps,
  access: ArticleAccess,
): Pick<ArticleService, 'publish' | 'unpublish'> {
  const { articles } = deps;
  const changed = (articleId: number) => deps.changed?.({ kind: 'article', articleId });
  return {
    async publish(actor, id, at) {
      await access.loadFor(actor, id, 'article:publish');
      const now = deps.now();
      const when = at ?? now;
      const scheduled = when.getTime() > now.getTime();
      if (at !== undefined && !scheduled && now.getTime() - at.getTime() > 60_000) {
        throw new AppError('schedule_in_past', 'a publish time must be now or in the future', 422);
      }
      await articles.update(id, {
        status: scheduled ? 'scheduled' : 'published',
        published_at: scheduled ? when : now,
        updated_at: now,
      });
      await changed(id);
      return access.load(id);
    },

    async unpublish(actor, id) {
      await access.loadFor(actor, id, 'article:publish');
      await articles.update(id, { status: 'draft', published_at: null, updated_at: deps.now() });
      await changed(id);
      return access.load(id);
    },
  };
}
