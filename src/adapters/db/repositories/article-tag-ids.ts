import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../../../config/index.js';
import type { DB } from '../schema.js';

// An article's tags as one column of the article's own statement: the ids of its tags, which the tag directory
// (tag-directory.ts) turns into names, slugs and the name order. A correlated subquery rather than a second
// statement (each one a whole pass through Kysely and the driver, and on the servers a round trip).

/** The ids as one value. MySQL's GROUP_CONCAT would cut a long list at group_concat_max_len: a JSON array there. */
function aggregate(dialect: Dialect): RawBuilder<unknown> {
  const id = sql.ref('article_tags.tag_id');
  switch (dialect) {
    case 'sqlite':
      return sql`group_concat(${id})`;
    case 'postgres':
      return sql`string_agg(cast(${id} as text), ',')`;
    case 'mysql':
      return sql`json_arrayagg(${id})`;
  }
}

/**
 * The `tags` column of the article whose id is `articleId` (a column of the outer query), holding its tags' ids (null
 * for none): pass to `.select()`; the repository puts the tags in their place (TagDirectory.tagsOf).
 */
export function tagIdsColumn(db: Kysely<DB>, dialect: Dialect, articleId: 'articles.id' | 'page.id' = 'articles.id') {
  return db
    .selectFrom('article_tags')
    .select(aggregate(dialect).as('ids'))
    .where('article_tags.article_id', '=', sql.ref<number>(articleId))
    .as('tags');
}
