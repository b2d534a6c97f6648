import type { Kysely } from 'kysely';
import type { Database } from '../database.js';
import type { ArticleUpdate, DB, NewArticleRow } from '../schema.js';
import { searchText } from '../../../domain/search-text.js';
import type { ArticlesRepository } from './articles.js';
import { insertReturningId } from './insert-id.js';

// The writing half of the articles repository: rows, their tags, and the derived search columns.

export type ArticleWrites = Pick<
  ArticlesRepository,
  'insert' | 'insertMany' | 'linkTags' | 'update' | 'delete' | 'slugsLike'
>;

export function createArticleWrites(db: Database): ArticleWrites {
  const options = { padForInnoDb: db.dialect === 'mysql' };
  /** The search columns follow the title and body they derive from (only those the write changes). */
  function withSearch<T extends { title?: string; markdown?: string }>(row: T) {
    return {
      ...row,
      ...(row.title === undefined ? {} : { search_title: searchText(row.title, options) }),
      ...(row.markdown === undefined ? {} : { search_body: searchText(row.markdown, options) }),
    };
  }

  async function setTags(trx: Kysely<DB>, articleId: number, tagIds: number[]): Promise<void> {
    await trx.deleteFrom('article_tags').where('article_id', '=', articleId).execute();
    const unique = [...new Set(tagIds)];
    if (unique.length > 0) {
      await trx
        .insertInto('article_tags')
        .values(unique.map((tag_id) => ({ article_id: articleId, tag_id })))
        .execute();
    }
  }

  return {
    insert: (row: NewArticleRow, tagIds) =>
      db.primary.transaction().execute(async (trx) => {
        const id = await insertReturningId(db.dialect, trx.insertInto('articles').values(withSearch(row)));
        await setTags(trx, id, tagIds);
        return id;
      }),
    async insertMany(rows) {
      if (rows.length === 0) return new Map();
      await db.primary.insertInto('articles').values(rows.map(withSearch)).execute();
      const ids = await db.primary
        .selectFrom('articles')
        .select(['id', 'slug'])
        .where(
          'slug',
          'in',
          rows.map((r) => r.slug),
        )
        .execute();
      return new Map(ids.map((r) => [r.slug, Number(r.id)]));
    },
    async linkTags(pairs) {
      if (pairs.length > 0) await db.primary.insertInto('article_tags').values(pairs).execute();
    },
    update: (id, patch: ArticleUpdate, tagIds) =>
      db.primary.transaction().execute(async (trx) => {
        await trx.updateTable('articles').set(withSearch(patch)).where('id', '=', id).execute();
        if (tagIds) await setTags(trx, id, tagIds);
      }),
    async delete(id) {
      const r = await db.primary.deleteFrom('articles').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async slugsLike(base) {
      const rows = await db.primary
        .selectFrom('articles')
        .select('slug')
        .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
        .execute();
      return rows.map((r) => r.slug);
    },
  };
}

/** Every slug in use (for bulk seeding, which picks free slugs in memory). */
export async function allArticleSlugs(db: Database): Promise<string[]> {
  const rows = await db.primary.selectFrom('articles').select('slug').execute();
  return rows.map((r) => r.slug);
}
