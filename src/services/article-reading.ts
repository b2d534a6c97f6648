import { NotFoundError } from '../domain/errors.js';
import { can } from '../domain/policy.js';
import { asPublished, isLiveAt } from './article-access.js';
import type { ArticleService, ArticleServiceDeps } from './articles.js';

// Reading articles: one by id or slug, the public and management lists, search.

export function createArticleReading(
  deps: ArticleServiceDeps,
): Pick<ArticleService, 'get' | 'listLive' | 'listManaged' | 'search'> {
  const { articles } = deps;
  return {
    async get(actor, ref) {
      const article = 'id' in ref ? await articles.findById(ref.id) : await articles.findBySlug(ref.slug);
      if (!article) throw new NotFoundError('article');
      if (isLiveAt(article, deps.now())) return asPublished(article);
      if (actor && can(actor, 'article:read-unpublished', article.author_id)) return article;
      throw new NotFoundError('article');
    },

    async listLive(query) {
      const page = await articles.list({ kind: 'live', now: deps.now() }, query);
      return { ...page, items: page.items.map(asPublished) };
    },

    listManaged(actor, status, query) {
      // Without an owner, only a role that may read every unpublished article passes (editors, admins).
      const mayAll = can(actor, 'article:read-unpublished');
      const authorId = mayAll ? query.authorId : actor.id;
      return articles.list({ kind: 'manage', status }, { ...query, authorId });
    },

    async search(q, page, limit) {
      const found = await deps.search.search({ q, page, limit, now: deps.now() }, (ids) => articles.tagsOf(ids));
      return { ...found, items: found.items.map(asPublished) };
    },
  };
}
