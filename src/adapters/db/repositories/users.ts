import type { Database } from '../database.js';
import type { NewUserRow, UserRow } from '../schema.js';
import type { Role } from '../../../domain/roles.js';
import { insertReturningId } from './insert-id.js';

export type UserRecord = Omit<UserRow, 'password_hash'>;

const PUBLIC_COLUMNS = ['id', 'email', 'name', 'role', 'bio', 'created_at', 'updated_at'] as const;

export interface UsersRepository {
  insert(row: NewUserRow): Promise<number>;
  insertMany(rows: NewUserRow[]): Promise<void>;
  findById(id: number): Promise<UserRecord | undefined>;
  /** The user with the stored password hash, for signing in only. */
  findCredentialsByEmail(email: string): Promise<UserRow | undefined>;
  list(): Promise<UserRecord[]>;
  updateRole(id: number, role: Role, now: Date): Promise<boolean>;
  /** Name and bio, as shown on the author's pages; false when there is no such user. */
  updateProfile(id: number, profile: { name?: string; bio?: string | null }, now: Date): Promise<boolean>;
  idsByRole(): Promise<Array<{ id: number; role: Role }>>;
  countArticles(id: number): Promise<number>;
  /** Hands the user's articles to `reassignTo` (when given), then deletes the user; false when there was none. */
  delete(id: number, reassignTo: number | undefined, now: Date): Promise<boolean>;
}

export function createUsersRepository(db: Database): UsersRepository {
  return {
    insert: (row) => insertReturningId(db.dialect, db.primary.insertInto('users').values(row)),
    async insertMany(rows) {
      if (rows.length > 0) await db.primary.insertInto('users').values(rows).execute();
    },
    findById: (id) => db.reader().selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst(),
    findCredentialsByEmail: (email) =>
      db.primary.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst(),
    list: () => db.reader().selectFrom('users').select(PUBLIC_COLUMNS).orderBy('id').execute(),
    async countArticles(id) {
      const row = await db.primary
        .selectFrom('articles')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('author_id', '=', id)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async delete(id, reassignTo, now) {
      // One transaction: an article never points at a deleted author (the foreign key restricts that anyway).
      return db.primary.transaction().execute(async (trx) => {
        if (reassignTo !== undefined) {
          await trx
            .updateTable('articles')
            .set({ author_id: reassignTo, updated_at: now })
            .where('author_id', '=', id)
            .execute();
        }
        const result = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },
    async updateRole(id, role, now) {
      const r = await db.primary
        .updateTable('users')
        .set({ role, updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async updateProfile(id, profile, now) {
      const r = await db.primary
        .updateTable('users')
        .set({ ...profile, updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    idsByRole: () => db.primary.selectFrom('users').select(['id', 'role']).orderBy('id').execute(),
  };
}
