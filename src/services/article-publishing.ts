import { AppError } from '../domain/errors.js';
import type { ArticleFull } from '../adapters/db/repositories/articles.js';
import { isLiveAt, type ArticleAccess } from './article-access.js';
import type { ArticleService, ArticleServiceDeps } from './articles.js';

// Publishing: now, at a future time (scheduled), or back to draft.

export function createArticlePublishing(
  deps: ArticleServiceDeps,
  access: ArticleAccess,
): Pick<ArticleService, 'publish' | 'unpublish'> {
  const { articles } = deps;
  const changed = (articleId: number, isPublic: boolean) =>
    deps.changed?.({ kind: 'article', articleId, public: isPublic });
  const wasLive = (article: ArticleFull) => isLiveAt(article, deps.now());
  return {
    async publish(actor, id, at) {
      const before = await access.loadFor(actor, id, 'article:publish');
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
      // Scheduled for later: public only when it was live and now waits (it leaves the site until then).
      await changed(id, !scheduled || wasLive(before));
      return access.load(id);
    },

    async unpublish(actor, id) {
      const before = await access.loadFor(actor, id, 'article:publish');
      await articles.update(id, { status: 'draft', published_at: null, updated_at: deps.now() });
      await changed(id, wasLive(before));
      return access.load(id);
    },
  };
}
