import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../../../config/index.js';
import type { DB } from '../schema.js';
import type { TagRef } from './articles.js';

// An article's tags as one JSON column of the article's own statement: a correlated subquery that aggregates them,
// instead of a second statement (each one a whole pass through Kysely and the driver, and on the servers a round
// trip). Kysely's jsonArrayFrom helpers aggregate over a derived table: its ORDER BY need not survive the
// aggregate, and MariaDB refuses a derived table that refers to the outer query.

/** The tags of `articles.id` as a JSON array, sorted by name as the engine's ORDER BY tags.name sorts them. */
function aggregate(dialect: Dialect): RawBuilder<unknown> {
  const id = sql.ref('tags.id');
  const name = sql.ref('tags.name');
  const slug = sql.ref('tags.slug');
  switch (dialect) {
    case 'sqlite':
      return sql`json_group_array(json_object('id', ${id}, 'name', ${name}, 'slug', ${slug}) order by ${name})`;
    case 'postgres':
      return sql`json_agg(json_build_object('id', ${id}, 'name', ${name}, 'slug', ${slug}) order by ${name})`;
    case 'mysql':
      // MySQL 8's JSON_ARRAYAGG takes no ORDER BY (MariaDB's would): each tag carries the collation weights of its
      // name, the bytes ORDER BY tags.name compares (case- and accent-blind under utf8mb4_unicode_ci), to sort by.
      return sql`json_arrayagg(json_object('id', ${id}, 'name', ${name}, 'slug', ${slug}, 'weight', hex(weight_string(${name}))))`;
  }
}

/**
 * The `tags` column of the article whose id is `articleId` (a column of the outer query): pass to `.select()`, read
 * with tagsFromJson.
 */
export function tagsJson(db: Kysely<DB>, dialect: Dialect, articleId: 'articles.id' | 'page.id' = 'articles.id') {
  return db
    .selectFrom('article_tags')
    .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
    .select(aggregate(dialect).as('list'))
    .where('article_tags.article_id', '=', sql.ref<number>(articleId))
    .as('tags');
}

interface JsonTag {
  id: number;
  name: string;
  slug: string;
  weight?: string;
}

/** Hex of the weights, two digits a byte: comparing the texts compares the bytes. */
const byWeight = (a: JsonTag, b: JsonTag) => (a.weight! < b.weight! ? -1 : a.weight! > b.weight! ? 1 : 0);

/** The tags a `tagsJson` column holds, sorted by name. */
export function tagsFromJson(value: unknown): TagRef[] {
  // No tags: SQLite's aggregate gives '[]', the servers' NULL.
  if (value === null || value === undefined) return [];
  // Text on SQLite and MariaDB (whose JSON is a text type); pg, and mysql2 for MySQL's JSON type, parse it.
  const tags = (typeof value === 'string' ? JSON.parse(value) : value) as JsonTag[];
  if (tags.length > 1 && tags[0]!.weight !== undefined) tags.sort(byWeight);
  return tags.map((t) => ({ id: Number(t.id), name: t.name, slug: t.slug }));
}
