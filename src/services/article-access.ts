import type { ArticleFull, ArticlesRepository } from '../adapters/db/repositories/articles.js';
import type { ArticleStatus } from '../domain/article-status.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { can, type Action, type Actor } from '../domain/policy.js';

// Who may see and act on which article: shared by editing, publishing and reading.

export function isLiveAt(article: Pick<ArticleFull, 'status' | 'published_at'>, now: Date): boolean {
  return (
    (article.status === 'published' || article.status === 'scheduled') &&
    article.published_at !== null &&
    article.published_at.getTime() <= now.getTime()
  );
}

/** A scheduled article whose time has come is published, whether or not the queue has flipped its row yet. */
export function asPublished<T extends { status: ArticleStatus }>(article: T): T {
  return article.status === 'scheduled' ? { ...article, status: 'published' } : article;
}

export interface ArticleAccess {
  load(id: number): Promise<ArticleFull>;
  /** Loads an article the actor may act on; one they may not even see is "not found". */
  loadFor(actor: Actor, id: number, action: Action): Promise<ArticleFull>;
}

export function createArticleAccess(deps: { articles: ArticlesRepository; now: () => Date }): ArticleAccess {
  async function load(id: number): Promise<ArticleFull> {
    const article = await deps.articles.findById(id);
    if (!article) throw new NotFoundError('article');
    return article;
  }
  return {
    load,
    async loadFor(actor, id, action) {
      const article = await load(id);
      if (!can(actor, action, article.author_id)) {
        if (!can(actor, 'article:read-unpublished', article.author_id) && !isLiveAt(article, deps.now())) {
          throw new NotFoundError('article');
        }
        throw new ForbiddenError(`you may not ${action.split(':')[1]} this article`);
      }
      return article;
    },
  };
}
