/**
 * What changed in the blog's content, told to whoever keeps copies of it (page and API caches). Services report
 * after the write has committed; the composition root turns a change into cache invalidations (see cacheTagsFor).
 */
export type ContentChange =
  /**
   * Created, edited, published, scheduled, unpublished or deleted. `public`: readers could see it before or can see
   * it now (a draft's edits, or scheduling one for later, change nothing on the public site).
   */
  | { kind: 'article'; articleId: number; public: boolean }
  /** A comment approved, rejected, marked spam or deleted: the article's page shows a different list. */
  | { kind: 'comment'; articleId: number }
  /** A tag renamed or merged: every page that names it, which may be any page. */
  | { kind: 'tags' }
  /**
   * Articles handed to another author (a user deleted), or an author's name or bio changed: their author page and
   * the article pages, lists and feeds that name them show something else.
   */
  | { kind: 'authors' }
  /** Site settings changed (title, description, page size): every page may look different. */
  | { kind: 'settings' };

export type ContentChanged = (change: ContentChange) => Promise<void>;

/**
 * The cache-tag vocabulary. Every cached page or API read is tagged with what it shows:
 * - `article:<id>` — one article's page or API read;
 * - `lists` — anything listing articles (home, tag, author and search pages, feeds, sitemap, API lists);
 * - `content` — everything derived from content (so a tag rename drops it all).
 */
export const cacheTag = {
  article: (id: number) => `article:${id}`,
  lists: 'lists',
  content: 'content',
} as const;

export function cacheTagsFor(change: ContentChange): string[] {
  switch (change.kind) {
    case 'article':
      return [cacheTag.article(change.articleId), cacheTag.lists];
    case 'comment':
      return [cacheTag.article(change.articleId)];
    case 'tags':
    case 'authors':
    case 'settings':
      return [cacheTag.content];
  }
}
