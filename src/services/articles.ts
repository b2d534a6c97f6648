import type {
  ArticleFull,
  ArticlesRepository,
  ArticleSummary,
  ListQuery,
  Page,
  PageJson,
} from '../adapters/db/repositories/articles.js';
import type { ArticleStatus } from '../domain/article-status.js';
import type { Actor } from '../domain/policy.js';
import type { ArticleSearch } from '../adapters/db/repositories/article-search.js';
import type { RenderMarkdown } from './content/markdown.js';
import type { TagService } from './tags.js';
import type { ContentChanged } from './content-changes.js';
import type { Cache } from '../adapters/cache/cache-port.js';
import { createArticleAccess } from './article-access.js';
import { createArticleEditing } from './article-editing.js';
import { createArticlePublishing } from './article-publishing.js';
import { createArticleReading } from './article-reading.js';

// The article service's contract; editing, publishing and reading live in their own files.

export { isLiveAt } from './article-access.js';
export { MARKDOWN_MAX, renderBody, TITLE_MAX } from './article-editing.js';

export interface ArticleInput {
  title: string;
  markdown: string;
  tags?: string[];
  coverMediaId?: number | null;
}

export interface ArticleService {
  create(actor: Actor, input: ArticleInput): Promise<ArticleFull>;
  update(actor: Actor, id: number, patch: Partial<ArticleInput>): Promise<ArticleFull>;
  /** Publishes now, or schedules when `at` is in the future. */
  publish(actor: Actor, id: number, at?: Date): Promise<ArticleFull>;
  unpublish(actor: Actor, id: number): Promise<ArticleFull>;
  delete(actor: Actor, id: number): Promise<void>;
  /** One article by id or slug: live ones for everybody, others only for who may see them (else 404). */
  get(actor: Actor | undefined, ref: { id: number } | { slug: string }): Promise<ArticleFull>;
  /**
   * A live article (the same for every reader) already written as the API's JSON, where the database writes it
   * (SQLite; see article-summary-json.ts); undefined when it is not live or the database does not, and the caller
   * uses `get`.
   */
  getLiveJson(ref: { id: number } | { slug: string }): Promise<{ id: number; json: Buffer } | undefined>;
  listLive(query: ListQuery): Promise<Page<ArticleSummary>>;
  /**
   * `listLive`'s page already written as the API's JSON array of summaries, where the database writes it (SQLite;
   * see article-summary-json.ts); undefined where it does not, and the caller uses `listLive`.
   */
  listLiveJson(query: ListQuery): Promise<PageJson | undefined>;
  /** The management list: authors see their own, editors and admins all. */
  listManaged(actor: Actor, status: ArticleStatus | undefined, query: ListQuery): Promise<Page<ArticleSummary>>;
  /** Full-text search over live articles, best match first. */
  search(q: string, page: number, limit: number): Promise<Page<ArticleSummary>>;
}

export interface ArticleServiceDeps {
  articles: ArticlesRepository;
  search: ArticleSearch;
  tags: TagService;
  render: RenderMarkdown;
  now: () => Date;
  /** Told after every write, so caches drop what showed the article. */
  changed?: ContentChanged;
  /**
   * Keeps the live total of each list filter (home, tag, author, API lists): counting ~8,000 live articles costs
   * ~1 ms on SQLite, the page of 15 itself 0.05 ms. Tagged `lists` and `content`, so the writes that change a total
   * drop it; it also ends when the next scheduled article comes due.
   */
  cache?: Cache;
}

export function createArticleService(deps: ArticleServiceDeps): ArticleService {
  const access = createArticleAccess(deps);
  return {
    ...createArticleEditing(deps, access),
    ...createArticlePublishing(deps, access),
    ...createArticleReading(deps),
  };
}
