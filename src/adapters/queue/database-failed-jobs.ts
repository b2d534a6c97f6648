import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { FailedJob } from './queue-port.js';

// The failed-jobs side of the database driver: what queue:failed, queue:retry, queue:forget and queue:flush do.

export async function listFailed(db: Kysely<DB>): Promise<FailedJob[]> {
  const rows = await db.selectFrom('failed_jobs').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    id: String(r.id),
    queue: r.queue,
    name: r.name,
    payload: parsePayload(r.payload),
    attempts: r.attempts,
    error: r.error,
    stack: r.stack,
    failedAt: r.failed_at,
  }));
}

/** Moves failed jobs back to the queue with fresh tries (and the worker's defaults), in one transaction. */
export async function retryFailed(db: Kysely<DB>, now: Date, ids: readonly string[] | 'all'): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    let query = trx.selectFrom('failed_jobs').selectAll();
    if (ids !== 'all') {
      const numeric = ids.map(rowId).filter((id) => id !== undefined);
      if (numeric.length === 0) return [];
      query = query.where('id', 'in', numeric);
    }
    const rows = await query.orderBy('id').execute();
    for (const r of rows) {
      await trx
        .insertInto('jobs')
        .values({
          queue: r.queue,
          name: r.name,
          payload: r.payload,
          attempts: 0,
          max_attempts: 0,
          timeout_ms: null,
          available_at: now,
          created_at: now,
        })
        .execute();
      await trx.deleteFrom('failed_jobs').where('id', '=', r.id).execute();
    }
    return rows.map((r) => String(r.id));
  });
}

export async function forgetFailed(db: Kysely<DB>, id: string): Promise<boolean> {
  const n = rowId(id);
  if (n === undefined) return false;
  const result = await db.deleteFrom('failed_jobs').where('id', '=', n).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function flushFailed(db: Kysely<DB>, now: Date, olderThanMs?: number): Promise<number> {
  let query = db.deleteFrom('failed_jobs');
  if (olderThanMs !== undefined) query = query.where('failed_at', '<', new Date(now.getTime() - olderThanMs));
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** An id from a URL or the CLI as a row id; anything past 2^53 cannot be one (PostgreSQL would refuse the bigint). */
function rowId(id: string): number | undefined {
  if (!/^\d{1,16}$/.test(id)) return undefined;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
