import type { ListQuery } from '../adapters/db/repositories/articles.js';
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
): Pick<ArticleService, 'get' | 'getLiveJson' | 'listLive' | 'listLiveJson' | 'listManaged' | 'search'> {
  const { articles } = deps;

  /** A live page read by `read`, given the kept total of its filter when there is one; the counted one is kept. */
  async function keepingTotal<P extends { total: number }>(
    query: ListQuery,
    now: Date,
    read: (options: { knownTotal?: number }) => Promise<P>,
  ): Promise<P> {
    const cache = deps.cache;
    if (!cache) return read({});
    const key = `articles:live-total:${JSON.stringify([query.authorId ?? null, query.tagSlug ?? null])}`;
    // A cache that cannot be reached costs a count, never the list.
    const knownTotal = await cache.get<number>(key).catch(() => undefined);
    const page = await read({ knownTotal });
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

    async getLiveJson(ref) {
      return articles.findLiveJson?.(ref, deps.now());
    },

    async listLive(query) {
      const now = deps.now();
      const page = await keepingTotal(query, now, (options) => articles.list({ kind: 'live', now }, query, options));
      return { ...page, items: page.items.map(asPublished) };
    },

    async listLiveJson(query) {
      if (!articles.livePageJson) return undefined;
      const now = deps.now();
      return keepingTotal(query, now, (options) => articles.livePageJson!(now, query, options));
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
