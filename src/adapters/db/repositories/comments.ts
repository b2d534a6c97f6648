import type { Database } from '../database.js';
import type { CommentStatus } from '../../../domain/article-status.js';
import type { CommentsTable, DB } from '../schema.js';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { insertReturningId } from './insert-id.js';
import { preparedSelect } from '../prepared-select.js';

export type CommentRecord = Selectable<CommentsTable>;

export interface CommentsRepository {
  insert(row: Insertable<CommentsTable>): Promise<number>;
  insertMany(rows: Insertable<CommentsTable>[]): Promise<void>;
  findById(id: number): Promise<CommentRecord | undefined>;
  /** A page of an article's approved comments, oldest first, and how many there are in all. */
  listApproved(articleId: number, page: number, limit: number): Promise<{ items: CommentRecord[]; total: number }>;
  listByStatus(status: CommentStatus, page: number, limit: number): Promise<{ items: CommentRecord[]; total: number }>;
  setStatus(id: number, status: CommentStatus): Promise<boolean>;
  delete(id: number): Promise<boolean>;
}

// An article page shows its approved comments: both queries walk comments_article_status_created_index
// (article_id, status, created_at), prepared once (see prepared-select.ts).
const approvedOf = (db: Kysely<DB>, articleId: number) =>
  db.selectFrom('comments').where('article_id', '=', articleId).where('status', '=', 'approved');
const approvedPage = preparedSelect((db, articleId: number, limit: number, offset: number) =>
  approvedOf(db, articleId).selectAll().orderBy('created_at').orderBy('id').limit(limit).offset(offset),
);
const approvedCount = preparedSelect((db, articleId: number) =>
  approvedOf(db, articleId).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')),
);

export function createCommentsRepository(db: Database): CommentsRepository {
  const norm = (r: CommentRecord): CommentRecord => ({ ...r, id: Number(r.id), article_id: Number(r.article_id) });
  return {
    insert: (row) => insertReturningId(db.dialect, db.primary.insertInto('comments').values(row)),
    async insertMany(rows) {
      if (rows.length > 0) await db.primary.insertInto('comments').values(rows).execute();
    },
    async findById(id) {
      const r = await db.reader().selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
      return r && norm(r);
    },
    async listApproved(articleId, page, limit) {
      const reader = db.reader();
      const [rows, [count]] = await Promise.all([
        approvedPage.execute(reader, articleId, limit, (page - 1) * limit),
        approvedCount.execute(reader, articleId),
      ]);
      return { items: rows.map(norm), total: Number(count?.n ?? 0) };
    },
    async listByStatus(status, page, limit) {
      const base = db.reader().selectFrom('comments').where('status', '=', status);
      const [rows, count] = await Promise.all([
        base
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .offset((page - 1) * limit)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: rows.map(norm), total: Number(count.n) };
    },
    async setStatus(id, status) {
      const r = await db.primary.updateTable('comments').set({ status }).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(id) {
      const r = await db.primary.deleteFrom('comments').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
