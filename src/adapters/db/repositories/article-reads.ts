import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { DB } from '../schema.js';
import type { ArticleFull, ArticlesRepository, TagRef } from './articles.js';
import { preparedSelect, type PreparedSelect } from '../prepared-select.js';
import { listFilters, listQueries, type ListQueries } from './article-list-queries.js';
import { isLive, SUMMARY_COLUMNS } from './article-filters.js';
import { liveArticleJson } from './article-summary-json.js';
import { tagIdsColumn } from './article-tag-ids.js';
import type { TagDirectory } from './tag-directory.js';
import type { Dialect } from '../../../config/index.js';

// The reading half of the articles repository: single articles, pages of summaries, their tags.

/** The tags of each of `articleIds` (search results; an article and the list pages read their ids in their own statement). */
async function tagsOf(
  reader: Kysely<DB>,
  directory: TagDirectory,
  articleIds: number[],
): Promise<Map<number, TagRef[]>> {
  if (articleIds.length === 0) return new Map();
  const rows = await reader
    .selectFrom('article_tags')
    .select(['article_id', 'tag_id'])
    .where('article_id', 'in', articleIds)
    .execute();
  const ids = new Map<number, number[]>(articleIds.map((id) => [id, []]));
  for (const r of rows) ids.get(Number(r.article_id))?.push(Number(r.tag_id));
  // The names and the name order from the directory, like every other read of an article's tags.
  const tags = await directory.tagsOf(reader, [...ids.values()]);
  return new Map([...ids.keys()].map((id, i) => [id, tags[i]!]));
}

export type ArticleReads = Pick<
  ArticlesRepository,
  'findById' | 'findBySlug' | 'findLiveJson' | 'list' | 'livePageJson' | 'nextScheduledAfter' | 'tagsOf'
>;

// Named columns, not articles.*: the search columns are as large as the body and never needed here. The tags' ids come
// in the same statement (see article-tag-ids.ts), so the SQL differs by dialect: prepared once per dialect.
const fullArticle = (db: Kysely<DB>, dialect: Dialect) =>
  db
    .selectFrom('articles')
    .innerJoin('users', 'users.id', 'articles.author_id')
    .select([...SUMMARY_COLUMNS, 'articles.markdown', 'articles.html'])
    .select(tagIdsColumn(db, dialect));

type FullArticleRow = Awaited<ReturnType<ReturnType<typeof fullArticle>['execute']>>[number];

interface ArticleQueries {
  byId: PreparedSelect<[number], FullArticleRow>;
  bySlug: PreparedSelect<[string], FullArticleRow>;
  /** A live article as the API's JSON (article-summary-json.ts): SQLite only. */
  liveJsonById?: PreparedSelect<[number, Date], { id: number; json: Buffer }>;
  liveJsonBySlug?: PreparedSelect<[string, Date], { id: number; json: Buffer }>;
}

const articleQueriesByDialect = new Map<Dialect, ArticleQueries>();

function articleQueries(dialect: Dialect): ArticleQueries {
  let queries = articleQueriesByDialect.get(dialect);
  if (!queries) {
    queries = {
      byId: preparedSelect((db, id: number) => fullArticle(db, dialect).where('articles.id', '=', id)),
      bySlug: preparedSelect((db, slug: string) => fullArticle(db, dialect).where('articles.slug', '=', slug)),
    };
    if (dialect === 'sqlite') {
      const liveJson = <V extends number | string>(column: 'articles.id' | 'articles.slug') =>
        preparedSelect((db, key: V, now: Date) =>
          liveArticleJson(
            db,
            fullArticle(db, dialect)
              .where(column, '=', key)
              .where((eb) => isLive(eb, now))
              .as('p'),
          ),
        );
      queries.liveJsonById = liveJson<number>('articles.id');
      queries.liveJsonBySlug = liveJson<string>('articles.slug');
    }
    articleQueriesByDialect.set(dialect, queries);
  }
  return queries;
}

export function createArticleReads(db: Database, directory: TagDirectory): ArticleReads {
  const { byId, bySlug, liveJsonById, liveJsonBySlug } = articleQueries(db.dialect);

  async function findOne(where: { id: number } | { slug: string }): Promise<ArticleFull | undefined> {
    const reader = db.reader();
    const [row] = 'id' in where ? await byId.execute(reader, where.id) : await bySlug.execute(reader, where.slug);
    if (!row) return undefined;
    const [tags] = await directory.tagsOf(reader, [row.tags]);
    return withTags(row, tags!);
  }

  return {
    findById: (id) => findOne({ id }),
    findBySlug: (slug) => findOne({ slug }),
    ...(liveJsonById &&
      liveJsonBySlug && {
        async findLiveJson(ref, now) {
          const reader = db.reader();
          const [row] =
            'id' in ref
              ? await liveJsonById.execute(reader, ref.id, now)
              : await liveJsonBySlug.execute(reader, ref.slug, now);
          return row && { id: Number(row.id), json: row.json };
        },
      }),
    async list(visibility, query, options = {}) {
      const reader = db.reader();
      const { shape, values } = listFilters(visibility, query);
      const queries = listQueries(db.dialect, shape);
      const [rows, total] = await Promise.all([
        queries.page.execute(reader, ...values, query.limit, (query.page - 1) * query.limit),
        totalOf(queries, reader, values, options.knownTotal),
      ]);
      const tags = await directory.tagsOf(
        reader,
        rows.map((r) => r.tags),
      );
      return { items: rows.map((r, i) => withTags(r, tags[i]!)), total };
    },
    ...(db.dialect === 'sqlite' && {
      async livePageJson(now, query, options = {}) {
        const reader = db.reader();
        const { shape, values } = listFilters({ kind: 'live', now }, query);
        const queries = listQueries(db.dialect, shape);
        const [[row], total] = await Promise.all([
          queries.json!.execute(reader, ...values, query.limit, (query.page - 1) * query.limit),
          totalOf(queries, reader, values, options.knownTotal),
        ]);
        // An aggregate without GROUP BY always gives its one row (`[]` for an empty page).
        return { json: row!.json, total };
      },
    }),
    tagsOf: (ids) => tagsOf(db.reader(), directory, ids),
    async nextScheduledAfter(now) {
      const row = await db
        .reader()
        .selectFrom('articles')
        .select((eb) => eb.fn.min('published_at').as('due'))
        .where('status', '=', 'scheduled')
        .where('published_at', '>', now)
        .executeTakeFirst();
      return row?.due ? new Date(row.due) : undefined;
    },
  };
}

/** A list's total: the kept one, or counted. */
async function totalOf(
  queries: ListQueries,
  reader: Kysely<DB>,
  values: unknown[],
  knownTotal: number | undefined,
): Promise<number> {
  if (knownTotal !== undefined) return knownTotal;
  const [row] = await queries.count.execute(reader, ...values);
  return Number(row?.n ?? 0);
}

/**
 * A row as the repository gives it: a numeric id, and its tags where the statement put their ids. Changed in place:
 * the row is the driver's own, and a copy that changes a property's type or adds one can take V8's slow path for
 * spreads (see api/articles/dto.ts).
 */
function withTags<R extends { id: unknown; tags: unknown }>(
  row: R,
  tags: TagRef[],
): R & { id: number; tags: TagRef[] } {
  const out = row as R & { id: number; tags: TagRef[] };
  out.id = Number(row.id);
  out.tags = tags;
  return out;
}
