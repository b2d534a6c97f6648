import { sql } from 'kysely';
import type { Database } from '../database.js';
import { insertReturningId } from './insert-id.js';

export interface TagRecord {
  id: number;
  name: string;
  slug: string;
  article_count: number;
}

export interface TagsRepository {
  findBySlugs(slugs: string[]): Promise<Array<{ id: number; name: string; slug: string }>>;
  findById(id: number): Promise<{ id: number; name: string; slug: string } | undefined>;
  insert(name: string, slug: string, now: Date): Promise<number>;
  list(): Promise<TagRecord[]>;
  rename(id: number, name: string, slug: string): Promise<void>;
  /** Moves every article of `fromId` to `intoId` (no duplicates) and deletes `fromId`, in one transaction. */
  merge(fromId: number, intoId: number): Promise<void>;
}

export function createTagsRepository(db: Database): TagsRepository {
  return {
    async findBySlugs(slugs) {
      if (slugs.length === 0) return [];
      const rows = await db.primary
        .selectFrom('tags')
        .select(['id', 'name', 'slug'])
        .where('slug', 'in', slugs)
        .execute();
      return rows.map((r) => ({ ...r, id: Number(r.id) }));
    },
    async findById(id) {
      const r = await db
        .reader()
        .selectFrom('tags')
        .select(['id', 'name', 'slug'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r && { ...r, id: Number(r.id) };
    },
    insert: (name, slug, now) =>
      insertReturningId(db.dialect, db.primary.insertInto('tags').values({ name, slug, created_at: now })),
    async list() {
      const rows = await db
        .reader()
        .selectFrom('tags')
        .leftJoin('article_tags', 'article_tags.tag_id', 'tags.id')
        .select([
          'tags.id',
          'tags.name',
          'tags.slug',
          (eb) => eb.fn.count<number>('article_tags.article_id').as('article_count'),
        ])
        .groupBy(['tags.id', 'tags.name', 'tags.slug'])
        .orderBy('tags.name')
        .execute();
      return rows.map((r) => ({ ...r, id: Number(r.id), article_count: Number(r.article_count) }));
    },
    async rename(id, name, slug) {
      await db.primary.updateTable('tags').set({ name, slug }).where('id', '=', id).execute();
    },
    merge: (fromId, intoId) =>
      db.primary.transaction().execute(async (trx) => {
        await trx
          .insertInto('article_tags')
          .columns(['article_id', 'tag_id'])
          .expression((eb) =>
            eb
              .selectFrom('article_tags as a')
              .select(['a.article_id', sql<number>`${intoId}`.as('tag_id')])
              .where('a.tag_id', '=', fromId)
              .where((w) =>
                w.not(
                  w.exists(
                    w
                      .selectFrom('article_tags as b')
                      .select(sql<number>`1`.as('one'))
                      .whereRef('b.article_id', '=', 'a.article_id')
                      .where('b.tag_id', '=', intoId),
                  ),
                ),
              ),
          )
          .execute();
        await trx.deleteFrom('tags').where('id', '=', fromId).execute();
      }),
  };
}
