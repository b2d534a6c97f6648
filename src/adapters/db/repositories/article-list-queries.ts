import type { Kysely } from 'kysely';
import type { ArticleStatus } from '../../../domain/article-status.js';
import type { DB } from '../schema.js';
import { preparedSelect, type PreparedSelect } from '../prepared-select.js';
import { isLive, isLiveForOrderedPage, SUMMARY_COLUMNS } from './article-filters.js';
import type { ListQuery, Visibility } from './articles.js';
import { tagsJson } from './article-tags-json.js';
import type { Dialect } from '../../../config/index.js';

// The page and count queries of an article list, prepared once per dialect and filter shape (which filters are
// set): the values change from request to request, the SQL only with the shape (and the tags' JSON with the dialect).

/** The values of one list's filters, in the order the queries use them; absent filters are left out. */
type FilterValues = Array<Date | number | string>;

interface ListQueries {
  page: PreparedSelect<unknown[], SummaryRow>;
  count: PreparedSelect<unknown[], { n: number | string | bigint }>;
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
          filtered(db, shape, v, isLive).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')),
        arity,
      ),
    };
    byShape.set(key, queries);
  }
  return queries;
}

/** `v`: the filter values (see listFilters), then the page's limit and offset. Each row has its tags (tagsJson). */
function pageOf(db: Kysely<DB>, dialect: Dialect, shape: Shape, v: unknown[]) {
  const [limit, offset] = v.slice(-2) as [number, number];
  const order = shape.live ? 'articles.published_at' : 'articles.updated_at';
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
    return db
      .selectFrom(ids.as('page'))
      .innerJoin('articles', 'articles.id', 'page.id')
      .innerJoin('users', 'users.id', 'articles.author_id')
      .select(SUMMARY_COLUMNS)
      .select(tagsJson(db, dialect))
      .orderBy(order, 'desc')
      .orderBy('articles.id', 'desc');
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
  if (shape.live && !shape.author) return page.select(tagsJson(db, dialect));
  // The others sort. SQLite works out every selected column of each row it feeds its sorter, so the tags would be
  // aggregated for every matching article, not for the page's (the first page of 8,000 published articles: 17.6 ->
  // 30.5 ms): they are read around the page (10 µs more than inside it). The OFFSET keeps SQLite from flattening the
  // two queries into one; the outer ORDER BY is needed, since no engine promises a derived table's order.
  return db
    .selectFrom(page.as('page'))
    .selectAll('page')
    .select(tagsJson(db, dialect, 'page.id'))
    .orderBy(shape.live ? 'page.published_at' : 'page.updated_at', 'desc')
    .orderBy('page.id', 'desc');
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
