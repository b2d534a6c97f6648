import type { Database } from '../database.js';
import type { ArticleRow, ArticleUpdate, NewArticleRow } from '../schema.js';
import type { ArticleStatus } from '../../../domain/article-status.js';
import { createArticleReads } from './article-reads.js';
import { createArticleWrites } from './article-writes.js';
import { createTagDirectory, type TagDirectory } from './tag-directory.js';

// The articles repository's contract and types; reads and writes live in article-reads.ts and article-writes.ts.

export { allArticleSlugs } from './article-writes.js';

export interface TagRef {
  id: number;
  name: string;
  slug: string;
}

export type ArticleSummary = Omit<ArticleRow, 'markdown' | 'html'> & { author_name: string; tags: TagRef[] };
export type ArticleFull = ArticleRow & { author_name: string; tags: TagRef[] };

export interface ListQuery {
  page: number;
  limit: number;
  tagSlug?: string;
  authorId?: number;
}

/** Which articles a list shows: the public (live at `now`) or a management view by status. */
export type Visibility = { kind: 'live'; now: Date } | { kind: 'manage'; status?: ArticleStatus };

export interface Page<T> {
  items: T[];
  total: number;
}

/** A page of summaries as JSON: the UTF-8 bytes of the array, and the total. */
export interface PageJson {
  json: Buffer;
  total: number;
}

export interface ArticlesRepository {
  insert(row: NewArticleRow, tagIds: number[]): Promise<number>;
  /** Many rows in one statement each (for seeding); returns the new ids by slug. */
  insertMany(rows: NewArticleRow[]): Promise<Map<string, number>>;
  linkTags(pairs: Array<{ article_id: number; tag_id: number }>): Promise<void>;
  update(id: number, patch: ArticleUpdate, tagIds?: number[]): Promise<void>;
  delete(id: number): Promise<boolean>;
  findById(id: number): Promise<ArticleFull | undefined>;
  findBySlug(slug: string): Promise<ArticleFull | undefined>;
  /**
   * A live article (at `now`) as the API writes it, written by the engine (article-summary-json.ts), with its id;
   * undefined when it is not live or not there. Only where the engine writes that JSON exactly (SQLite).
   */
  findLiveJson?(ref: { id: number } | { slug: string }, now: Date): Promise<{ id: number; json: Buffer } | undefined>;
  /** Slugs equal to `base` or `base-<n>`, to pick the next free one (slugs hold no LIKE wildcards: see slugify). */
  slugsLike(base: string): Promise<string[]>;
  /** A page and the total; given `knownTotal` (kept from an earlier count), the count query is skipped. */
  list(visibility: Visibility, query: ListQuery, options?: { knownTotal?: number }): Promise<Page<ArticleSummary>>;
  /**
   * The live page of `list` as the API writes it: the JSON array of its summaries, written by the engine
   * (article-summary-json.ts). Only where the engine writes that JSON exactly (SQLite); absent elsewhere.
   */
  livePageJson?(now: Date, query: ListQuery, options?: { knownTotal?: number }): Promise<PageJson>;
  /** When the next scheduled article comes due after `now` (it then counts as live), if any is scheduled. */
  nextScheduledAfter(now: Date): Promise<Date | undefined>;
  tagsOf(articleIds: number[]): Promise<Map<number, TagRef[]>>;
}

/**
 * `tags`: where the names of the articles' tags come from (tag-directory.ts); one the app shares across its
 * repositories. Without one, each read loads the tags (a transaction's repository, scripts, tests).
 */
export function createArticlesRepository(db: Database, tags: TagDirectory = createTagDirectory()): ArticlesRepository {
  return { ...createArticleWrites(db), ...createArticleReads(db, tags) };
}
