import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/** Deletes sessions that expired before `now`; returns how many. */
export async function deleteExpiredSessions(db: Kysely<DB>, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
