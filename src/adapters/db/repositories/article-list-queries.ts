import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { ArticleStatus } from '../../../domain/article-status.js';
import type { DB } from '../schema.js';
import { preparedSelect, type PreparedSelect } from '../prepared-select.js';
import { isLive, isLiveForOrderedPage, SUMMARY_COLUMNS } from './article-filters.js';
import type { ListQuery, Visibility } from './articles.js';
import { tagIdsColumn } from './article-tag-ids.js';
import { liveSummariesJson } from './article-summary-json.js';
import type { Dialect } from '../../../config/index.js';

// The page and count queries of an article list, prepared once per dialect and filter shape (which filters are
// set): the values change from request to request, the SQL only with the shape (and the tags' JSON with the dialect).

/** The values of one list's filters, in the order the queries use them; absent filters are left out. */
type FilterValues = Array<Date | number | string>;

export interface ListQueries {
  page: PreparedSelect<unknown[], SummaryRow>;
  count: PreparedSelect<unknown[], { n: number | string | bigint }>;
  /** A live page as the API's JSON (article-summary-json.ts), from the same values as `page`: SQLite only. */
  json?: PreparedSelect<unknown[], { json: Buffer }>;
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof pageOf>['execute']>>[number];

interface Shape {
  live: boolean;
  status: boolean;
  author: boolean;
  tag: boolean;
}

const byShape = new Map<string, ListQueries>();

/** The filters of `visibility` and `query`: the list's shape and its values in query order. */
export function listFilters(visibility: Visibility, query: ListQuery): { shape: Shape; values: FilterValues } {
  const values: FilterValues = [];
  const status = visibility.kind === 'manage' ? visibility.status : undefined;
  if (status) values.push(status);
  if (query.authorId !== undefined) values.push(query.authorId);
  if (query.tagSlug !== undefined) values.push(query.tagSlug);
  if (visibility.kind === 'live') values.push(visibility.now);
  const shape = {
    live: visibility.kind === 'live',
    status: status !== undefined,
    author: query.authorId !== undefined,
    tag: query.tagSlug !== undefined,
  };
  return { shape, values };
}

export function listQueries(dialect: Dialect, shape: Shape): ListQueries {
  const key = `${dialect}${+shape.live}${+shape.status}${+shape.author}${+shape.tag}`;
  let queries = byShape.get(key);
  if (!queries) {
    const arity = +shape.live + +shape.status + +shape.author + +shape.tag;
    queries = {
      page: preparedSelect((db, ...v: unknown[]) => pageOf(db, dialect, shape, v), arity + 2),
      count: preparedSelect(
        (db, ...v: unknown[]) =>
          shape.live && shape.tag
            ? liveTagged(db, shape, v).select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
            : filtered(db, shape, v, isLive).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')),
        arity,
      ),
    };
    if (dialect === 'sqlite' && shape.live) {
      // Around the same page query: its tag ids column goes unused (the JSON names the tags itself), which costs
      // less than the noise of a measurement (~5 µs of ~200) and keeps one definition of each page.
      queries.json = preparedSelect(
        (db, ...v: unknown[]) => liveSummariesJson(db, pageOf(db, dialect, shape, v).as('p')),
        arity + 2,
      );
    }
    byShape.set(key, queries);
  }
  return queries;
}

/** `v`: the filter values (see listFilters), then the page's limit and offset. Each row has its tags' ids (tagIdsColumn). */
function pageOf(db: Kysely<DB>, dialect: Dialect, shape: Shape, v: unknown[]) {
  const [limit, offset] = v.slice(-2) as [number, number];
  const order = shape.live ? 'articles.published_at' : 'articles.updated_at';
  if (shape.live && shape.tag) {
    // The index walk of liveTagged stops after the page, with no sort (EXPLAIN on all three engines); the rows and
    // their tags are then read for the page's ids only.
    const ids = liveTagged(db, shape, v)
      .select('article_tags.article_id as id')
      .orderBy('article_tags.live_at', 'desc')
      .orderBy('article_tags.article_id', 'desc')
      .limit(limit)
      .offset(offset);
    return rowsOfPage(db, dialect, ids, 'articles.published_at');
  }
  if (shape.tag) {
    // A tag's articles are found by id and sorted (no index gives them in date order): sorting ids only, then
    // reading the page's rows, keeps the summaries out of the sort (SQLite, 1,000 articles in a tag: 658 -> 521 µs
    // for the first page, 1,738 -> 830 µs at offset 300). A derived table, since MySQL allows no LIMIT inside IN.
    const ids = filtered(db, shape, v, isLiveForOrderedPage)
      .select('articles.id')
      .orderBy(order, 'desc')
      .orderBy('articles.id', 'desc')
      .limit(limit)
      .offset(offset);
    return rowsOfPage(db, dialect, ids, order);
  }
  const page = filtered(db, shape, v, isLiveForOrderedPage)
    .innerJoin('users', 'users.id', 'articles.author_id')
    .select(SUMMARY_COLUMNS)
    .orderBy(order, 'desc')
    .orderBy('articles.id', 'desc')
    .limit(limit)
    .offset(offset);
  // The live pages walk articles_published_at_index and stop at the page's end (see isLiveForOrderedPage): the tags
  // are read for the page's rows only.
  if (shape.live && !shape.author) return page.select(tagIdsColumn(db, dialect));
  // The others sort. SQLite works out every selected column of each row it feeds its sorter, so the tags would be
  // aggregated for every matching article, not for the page's (the first page of 8,000 published articles: 17.6 ->
  // 30.5 ms): they are read around the page (10 µs more than inside it). The OFFSET keeps SQLite from flattening the
  // two queries into one; the outer ORDER BY is needed, since no engine promises a derived table's order.
  return db
    .selectFrom(page.as('page'))
    .selectAll('page')
    .select(tagIdsColumn(db, dialect, 'page.id'))
    .orderBy(shape.live ? 'page.published_at' : 'page.updated_at', 'desc')
    .orderBy('page.id', 'desc');
}

/**
 * The summaries (with their tags) of a page whose article ids `ids` selects, in the page's order: no engine promises
 * a derived table's order, so it is sorted again, on the page's rows only.
 */
function rowsOfPage(
  db: Kysely<DB>,
  dialect: Dialect,
  ids: SelectQueryBuilder<DB, 'articles' | 'article_tags', { id: number }>,
  order: 'articles.published_at' | 'articles.updated_at',
) {
  return db
    .selectFrom(ids.as('page'))
    .innerJoin('articles', 'articles.id', 'page.id')
    .innerJoin('users', 'users.id', 'articles.author_id')
    .select(SUMMARY_COLUMNS)
    .select(tagIdsColumn(db, dialect))
    .orderBy(order, 'desc')
    .orderBy('articles.id', 'desc');
}

/**
 * A tag's live articles from article_tags alone: its live_at is the article's published_at while live (migration
 * 0013), so (tag_id, live_at, article_id) gives them newest first, ties by id, as the plain rule orders them. For
 * an author's, each entry's article is looked up by its key on the way. The tag's id comes from a scalar subquery,
 * not a join: PostgreSQL then takes it as one value and walks the index backwards, where for the join it read all
 * the tag's rows and sorted them (SQLite and MariaDB walk the index either way).
 */
function liveTagged(db: Kysely<DB>, shape: Shape, v: unknown[]) {
  let i = 0;
  const authorId = shape.author ? (v[i++] as number) : undefined;
  const tagSlug = v[i++] as string;
  const now = v[i] as Date;
  let base = db
    .selectFrom('article_tags')
    .where('article_tags.tag_id', '=', (eb) => eb.selectFrom('tags').select('tags.id').where('tags.slug', '=', tagSlug))
    .where('article_tags.live_at', '<=', now);
  if (authorId !== undefined) {
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('articles')
          .select('articles.id')
          .whereRef('articles.id', '=', 'article_tags.article_id')
          .where('articles.author_id', '=', authorId),
      ),
    );
  }
  return base;
}

/** The filters need only the articles table; the count runs on them alone (author_id is a NOT NULL key). */
function filtered(db: Kysely<DB>, shape: Shape, v: unknown[], liveness: typeof isLive) {
  let i = 0;
  let base = db.selectFrom('articles');
  if (shape.status) base = base.where('articles.status', '=', v[i++] as ArticleStatus);
  if (shape.author) base = base.where('articles.author_id', '=', v[i++] as number);
  if (shape.tag) {
    const tagSlug = v[i++] as string;
    // The tag's article ids through article_tags' tag_id index, rather than a correlated EXISTS per article:
    // the total count would otherwise probe every live article.
    base = base.where('articles.id', 'in', (eb) =>
      eb
        .selectFrom('article_tags')
        .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
        .select('article_tags.article_id')
        .where('tags.slug', '=', tagSlug),
    );
  }
  if (shape.live) {
    const now = v[i] as Date;
    base = base.where((eb) => liveness(eb, now));
  }
  return base;
}
