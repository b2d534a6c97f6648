import type { Cache } from '../adapters/cache/cache-port.js';
import type { ArticleSummary, ListQuery, Page } from '../adapters/db/repositories/articles.js';
import { NotFoundError } from '../domain/errors.js';
import { can } from '../domain/policy.js';
import { asPublished, isLiveAt } from './article-access.js';
import type { ArticleService, ArticleServiceDeps } from './articles.js';
import { cacheTag } from './content-changes.js';

// Reading articles: one by id or slug, the public and management lists, search.

/**
 * A backstop for a kept live total: a count read just before a write commits and stored just after the write's
 * invalidation would otherwise stay wrong until the next change.
 */
export const LIVE_TOTAL_TTL_MS = 60_000;

export function createArticleReading(
  deps: ArticleServiceDeps,
): Pick<ArticleService, 'get' | 'listLive' | 'listManaged' | 'search'> {
  const { articles } = deps;

  async function listLiveKeepingTotal(cache: Cache, query: ListQuery, now: Date): Promise<Page<ArticleSummary>> {
    const key = `articles:live-total:${JSON.stringify([query.authorId ?? null, query.tagSlug ?? null])}`;
    // A cache that cannot be reached costs a count, never the list.
    const knownTotal = await cache.get<number>(key).catch(() => undefined);
    const page = await articles.list({ kind: 'live', now }, query, { knownTotal });
    if (knownTotal === undefined) {
      const due = await articles.nextScheduledAfter(now);
      const ttlMs = Math.min(LIVE_TOTAL_TTL_MS, due ? due.getTime() - now.getTime() : Infinity);
      if (ttlMs > 0) {
        await cache.set(key, page.total, { ttlMs, tags: [cacheTag.lists, cacheTag.content] }).catch(() => undefined);
      }
    }
    return page;
  }

  return {
    async get(actor, ref) {
      const article = 'id' in ref ? await articles.findById(ref.id) : await articles.findBySlug(ref.slug);
      if (!article) throw new NotFoundError('article');
      if (isLiveAt(article, deps.now())) return asPublished(article);
      if (actor && can(actor, 'article:read-unpublished', article.author_id)) return article;
      throw new NotFoundError('article');
    },

    async listLive(query) {
      const now = deps.now();
      const page = deps.cache
        ? await listLiveKeepingTotal(deps.cache, query, now)
        : await articles.list({ kind: 'live', now }, query);
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
