import type { Database } from '../database.js';
import type { Role } from '../../../domain/roles.js';
import { insertReturningId } from './insert-id.js';

export interface ApiTokenRecord {
  id: number;
  name: string;
  tokenPrefix: string;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
}

export interface ApiTokensRepository {
  insert(row: {
    userId: number;
    name: string;
    tokenHash: string;
    tokenPrefix: string;
    expiresAt: Date | null;
    createdAt: Date;
  }): Promise<number>;
  listByUser(userId: number): Promise<ApiTokenRecord[]>;
  /** Deletes the user's token; false when there is none with that id (or it is someone else's). */
  revoke(userId: number, id: number): Promise<boolean>;
  /** The owner of a token hash, if the token exists and has not expired at `now`. */
  findOwner(
    tokenHash: string,
    now: Date,
  ): Promise<{ tokenId: number; userId: number; role: Role; lastUsedAt: Date | null } | undefined>;
  touch(tokenId: number, at: Date): Promise<void>;
}

export function createApiTokensRepository(db: Database): ApiTokensRepository {
  return {
    insert: (t) =>
      insertReturningId(
        db.dialect,
        db.primary.insertInto('api_tokens').values({
          user_id: t.userId,
          name: t.name,
          token_hash: t.tokenHash,
          token_prefix: t.tokenPrefix,
          expires_at: t.expiresAt,
          created_at: t.createdAt,
          last_used_at: null,
        }),
      ),
    async listByUser(userId) {
      const rows = await db.primary
        .selectFrom('api_tokens')
        .select(['id', 'name', 'token_prefix', 'last_used_at', 'expires_at', 'created_at'])
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        name: r.name,
        tokenPrefix: r.token_prefix,
        lastUsedAt: r.last_used_at,
        expiresAt: r.expires_at,
        createdAt: r.created_at,
      }));
    },
    async revoke(userId, id) {
      const r = await db.primary
        .deleteFrom('api_tokens')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async findOwner(tokenHash, now) {
      const r = await db.primary
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select(['api_tokens.id', 'api_tokens.user_id', 'api_tokens.last_used_at', 'users.role'])
        .where('api_tokens.token_hash', '=', tokenHash)
        .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
        .executeTakeFirst();
      return r && { tokenId: Number(r.id), userId: Number(r.user_id), role: r.role, lastUsedAt: r.last_used_at };
    },
    async touch(tokenId, at) {
      await db.primary.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
    },
  };
}
