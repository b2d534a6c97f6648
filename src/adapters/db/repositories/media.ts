import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../database.js';
import type { MediaTable } from '../schema.js';
import { insertReturningId } from './insert-id.js';

export type MediaRecord = Selectable<MediaTable>;

export interface MediaRepository {
  insert(row: Insertable<MediaTable>): Promise<number>;
  findById(id: number): Promise<MediaRecord | undefined>;
  /** Newest first. */
  list(page: number, limit: number): Promise<{ items: MediaRecord[]; total: number }>;
  /** Every upload's id, oldest first (operator commands that go over all of them). */
  ids(): Promise<number[]>;
  /** After the original was replaced by a cleaned copy; false when the row is gone. */
  setSize(id: number, sizeBytes: number): Promise<boolean>;
  /** Returns false when the row is gone (deleted while its variants were being made). */
  setVariants(id: number, variants: string): Promise<boolean>;
  delete(id: number): Promise<boolean>;
  /** Articles that show the media as their cover (their pages change with it). */
  coverOf(id: number): Promise<number[]>;
}

export function createMediaRepository(db: Database): MediaRepository {
  // bigint columns come back as strings on some drivers.
  const norm = (r: MediaRecord): MediaRecord => ({
    ...r,
    id: Number(r.id),
    user_id: r.user_id === null ? null : Number(r.user_id),
    size_bytes: Number(r.size_bytes),
  });
  return {
    insert: (row) => insertReturningId(db.dialect, db.primary.insertInto('media').values(row)),
    async findById(id) {
      const r = await db.reader().selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
      return r && norm(r);
    },
    async list(page, limit) {
      const [rows, count] = await Promise.all([
        db
          .reader()
          .selectFrom('media')
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset((page - 1) * limit)
          .execute(),
        db
          .reader()
          .selectFrom('media')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(norm), total: Number(count.n) };
    },
    async ids() {
      const rows = await db.primary.selectFrom('media').select('id').orderBy('id').execute();
      return rows.map((r) => Number(r.id));
    },
    async setSize(id, sizeBytes) {
      const r = await db.primary
        .updateTable('media')
        .set({ size_bytes: sizeBytes })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async setVariants(id, variants) {
      const r = await db.primary.updateTable('media').set({ variants }).where('id', '=', id).executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) return true;
      // MySQL counts changed rows, not matched ones: a retried job writing the same JSON updates "nothing".
      const row = await db.primary.selectFrom('media').select('id').where('id', '=', id).executeTakeFirst();
      return row !== undefined;
    },
    async delete(id) {
      const r = await db.primary.deleteFrom('media').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async coverOf(id) {
      const rows = await db.primary.selectFrom('articles').select('id').where('cover_media_id', '=', id).execute();
      return rows.map((r) => Number(r.id));
    },
  };
}
