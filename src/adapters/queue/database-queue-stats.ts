import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../config/index.js';
import type { DB } from '../db/schema.js';
import type { QueueCounts } from './queue-port.js';

const HOUR_MS = 3_600_000;

/** Adds one to this minute's processed or failed counter of a queue. */
export async function recordMetric(
  db: Kysely<DB>,
  dialect: Dialect,
  queue: string,
  now: Date,
  column: 'processed' | 'failed',
): Promise<void> {
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const insert = db.insertInto('queue_metrics').values({
    queue,
    minute_at: minute,
    processed: column === 'processed' ? 1 : 0,
    failed: column === 'failed' ? 1 : 0,
  });
  if (dialect === 'mysql') {
    await insert.onDuplicateKeyUpdate({ [column]: sql`${sql.ref(column)} + 1` }).execute();
  } else {
    await insert
      .onConflict((oc) =>
        oc.columns(['queue', 'minute_at']).doUpdateSet({ [column]: sql`${sql.ref(`queue_metrics.${column}`)} + 1` }),
      )
      .execute();
  }
}

/** Drops counters older than `keepMs` (the heartbeat keeps a day). */
export async function pruneMetrics(db: Kysely<DB>, now: Date, keepMs: number): Promise<number> {
  const result = await db
    .deleteFrom('queue_metrics')
    .where('minute_at', '<', new Date(now.getTime() - keepMs))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function readCounts(db: Kysely<DB>, now: Date, retryAfterMs: number): Promise<QueueCounts[]> {
  const stale = new Date(now.getTime() - retryAfterMs);
  const jobRows = await db
    .selectFrom('jobs')
    .select((eb) => {
      const flag = (cond: ReturnType<typeof eb.and>) =>
        eb.fn.sum<number | string>(eb.case().when(cond).then(1).else(0).end());
      const ready = eb.and([eb('reserved_at', 'is', null), eb('available_at', '<=', now)]);
      return [
        'queue',
        flag(eb.or([ready, eb('reserved_at', '<=', stale)])).as('waiting'),
        flag(eb.and([eb('reserved_at', 'is not', null), eb('reserved_at', '>', stale)])).as('active'),
        flag(eb.and([eb('reserved_at', 'is', null), eb('available_at', '>', now)])).as('delayed'),
        eb.fn.min<Date | string>(eb.case().when(ready).then(eb.ref('available_at')).else(null).end()).as('oldest'),
      ];
    })
    .groupBy('queue')
    .execute();
  const failedRows = await db
    .selectFrom('failed_jobs')
    .select((eb) => ['queue', eb.fn.countAll<number | string>().as('n')])
    .groupBy('queue')
    .execute();
  const metricRows = await db
    .selectFrom('queue_metrics')
    .select((eb) => [
      'queue',
      eb.fn.sum<number | string>('processed').as('processed'),
      eb.fn.sum<number | string>('failed').as('failed'),
    ])
    .where('minute_at', '>', new Date(now.getTime() - HOUR_MS))
    .groupBy('queue')
    .execute();

  const byQueue = new Map<string, QueueCounts>();
  const entry = (queue: string) => {
    let e = byQueue.get(queue);
    if (!e) {
      e = {
        queue,
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
        processedLastHour: 0,
        failedLastHour: 0,
        oldestWaitingMs: null,
      };
      byQueue.set(queue, e);
    }
    return e;
  };
  for (const r of jobRows) {
    const e = entry(r.queue);
    e.waiting = Number(r.waiting ?? 0);
    e.active = Number(r.active ?? 0);
    e.delayed = Number(r.delayed ?? 0);
    // SQLite hands min() back as text (the date wrapper only converts *_at columns).
    const oldest = r.oldest === null || r.oldest === undefined ? null : new Date(r.oldest);
    e.oldestWaitingMs = oldest ? Math.max(0, now.getTime() - oldest.getTime()) : null;
  }
  for (const r of failedRows) entry(r.queue).failed = Number(r.n);
  for (const r of metricRows) {
    const e = entry(r.queue);
    e.processedLastHour = Number(r.processed ?? 0);
    e.failedLastHour = Number(r.failed ?? 0);
  }
  return [...byQueue.values()].sort((a, b) => a.queue.localeCompare(b.queue));
}
