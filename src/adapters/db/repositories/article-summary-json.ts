import { sql, type AliasedExpression, type Kysely } from 'kysely';
import type { DB } from '../schema.js';

// Live articles written as JSON by SQLite itself, for the API's public reads: a page of summaries (GET /api/articles)
// and one article (GET /api/articles/:ref).
//
// Why: better-sqlite3 hands each value to JavaScript through V8's C++ API (on Node 20 about 0.4 µs a value, a CJK
// excerpt more), and a page of 15 summaries is 195 values, which the API then turns into dates, objects and back
// into JSON text and UTF-8. Here the engine writes the page's bytes in one value. Measured on the bench database
// (10,000 articles), server CPU a request: the uncached list ~850 -> ~530 µs, one article ~305 -> ~255 µs.
//
// Only the reads that need no decision in JavaScript: a live article is the same for everybody. A draft, or a
// signed-in reader who may see one, goes the JavaScript way.
//
// What it writes must be what the API's serializer writes for the same page, byte for byte (ETags agree, clients
// see one format): each object is `articleSummaryDto` or `articleDto` (http/api/articles/dto.ts) of `asPublished`
// (services/article-access.ts), in the schema's property order. test/adapters/db/article-summary-json.test.ts
// compares the two on every list shape and on arbitrary text. Add a field to the summary there and here.
//
// - Dates: SQLite keeps them as the ISO text `formatIso` writes (dialects/sqlite.ts), the same text toISOString
//   gives, so they are copied as they are.
// - Text: SQLite escapes a JSON string as JSON.stringify does (quotes, backslashes, control characters; nothing
//   else). Stored text is UTF-8, so it holds no lone surrogates either way.
// - Tags: `[{id, name, slug}]` in the order the tag directory gives them, `ORDER BY name, id`.
// - Other engines write JSON with other spacing or key order; they keep the JavaScript path.

const TAGS = sql`(select json_group_array(json_object('id', t.id, 'name', t.name, 'slug', t.slug) order by t.name, t.id)
  from article_tags as at inner join tags as t on t.id = at.tag_id where at.article_id = p.id)`;

/**
 * One article's JSON object (`articleDto` of `asPublished`); `p` is a row with the summary columns (and, with
 * `body`, markdown and html). A live read shows a scheduled article whose time has come as published.
 */
function articleObject(body: boolean) {
  return sql`json_object(
  'id', p.id,
  'title', p.title,
  'slug', p.slug,
  'excerpt', p.excerpt,
  'status', case p.status when 'scheduled' then 'published' else p.status end,
  'publishedAt', p.published_at,
  'readingMinutes', p.reading_minutes,
  'coverMediaId', p.cover_media_id,
  'author', json_object('id', p.author_id, 'name', p.author_name),
  'tags', ${TAGS},
  'createdAt', p.created_at,
  'updatedAt', p.updated_at${
    body
      ? sql`,
  'markdown', p.markdown,
  'html', p.html`
      : sql``
  })`;
}

const SUMMARY = articleObject(false);
const ARTICLE = articleObject(true);

/**
 * The rows `page` selects (a live page's summary columns, as `p`), as one `json` column holding the JSON array of their
 * summaries, newest first as the live lists order them. As a BLOB: its UTF-8 bytes reach JavaScript as a Buffer,
 * with no string made on the way.
 */
export function liveSummariesJson<O>(db: Kysely<DB>, page: AliasedExpression<O, 'p'>) {
  return db
    .selectFrom(page)
    .select(sql<Buffer>`cast(json_group_array(${SUMMARY} order by p.published_at desc, p.id desc) as blob)`.as('json'));
}

/**
 * The live article `row` selects (summary columns, markdown and html, as `p`) as its `id` and a `json` column
 * holding its JSON. No row: not live (or not there).
 */
export function liveArticleJson<O>(db: Kysely<DB>, row: AliasedExpression<O, 'p'>) {
  return db.selectFrom(row).select([sql<number>`p.id`.as('id'), sql<Buffer>`cast(${ARTICLE} as blob)`.as('json')]);
}
