import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../../config/index.js';
import type { DB, JobsTable } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { runSlots } from './slots.js';
import { recordMetric, readCounts } from './database-queue-stats.js';
import { flushFailed, forgetFailed, listFailed, parsePayload, retryFailed } from './database-failed-jobs.js';
import {
  DEFAULT_QUEUE,
  type ConsumeOptions,
  type Consumer,
  type JobOutcome,
  type NewJob,
  type QueueCounts,
  type QueueDriver,
  type ReservedJob,
} from './queue-port.js';

export interface DatabaseQueueOptions {
  db: Kysely<DB>;
  dialect: Dialect;
  clock: Clock;
  retryAfterMs: number;
}

type Row = { [K in keyof JobsTable]: K extends 'id' ? number : JobsTable[K] };

/**
 * The `database` driver: jobs are rows. A worker reserves a row (reserved_at/reserved_by) and keeps the
 * reservation fresh while the job runs; a row whose reservation is older than retryAfter belongs to a dead
 * worker, and any worker releases it back to the queue (the try it was on counts). PostgreSQL and MySQL reserve with `for update skip locked`, so many workers never take the
 * same row; SQLite reserves in one `update ... returning` statement (one writer per file).
 */
export function createDatabaseQueue(options: DatabaseQueueOptions): QueueDriver {
  const { db, dialect, clock, retryAfterMs } = options;

  async function reserve(queues: readonly string[], workerId: string): Promise<(Row & { token: string }) | null> {
    const now = clock.now();
    const token = `${workerId}:${randomBytes(6).toString('hex')}`.slice(0, 128);
    const candidates = (q: Kysely<DB> | Transaction<DB>) => {
      // Index-friendly on (queue, available_at); abandoned reservations are released separately (releaseStale).
      let query = q
        .selectFrom('jobs')
        .select('id')
        .where('queue', 'in', [...queues])
        .where('reserved_at', 'is', null)
        .where('available_at', '<=', now);
      if (queues.length > 1) {
        const priority = sql<number>`case ${sql.join(
          queues.map((name, i) => sql`when queue = ${name} then ${i}`),
          sql` `,
        )} else ${queues.length} end`;
        query = query.orderBy(priority);
      }
      return query.orderBy('available_at').orderBy('id').limit(1);
    };
    const claim = { reserved_at: now, reserved_by: token, attempts: sql<number>`attempts + 1` };
    if (dialect === 'sqlite') {
      const row = await db
        .updateTable('jobs')
        .set(claim)
        .where('id', '=', (eb) => eb.selectFrom(candidates(db).as('c')).select('c.id'))
        .returningAll()
        .executeTakeFirst();
      return row ? { ...row, token } : null;
    }
    return db.transaction().execute(async (trx) => {
      const picked = await candidates(trx).forUpdate().skipLocked().executeTakeFirst();
      if (!picked) return null;
      await trx.updateTable('jobs').set(claim).where('id', '=', picked.id).execute();
      const row = await trx.selectFrom('jobs').selectAll().where('id', '=', picked.id).executeTakeFirstOrThrow();
      return { ...row, token };
    });
  }

  async function settle(row: Row & { token: string }, outcome: JobOutcome): Promise<void> {
    const mine = (trx: Kysely<DB>) =>
      trx.deleteFrom('jobs').where('id', '=', row.id).where('reserved_by', '=', row.token);
    const now = clock.now();
    if (outcome.kind === 'done') {
      await mine(db).execute();
      await recordMetric(db, dialect, row.queue, now, 'processed');
    } else if (outcome.kind === 'retry') {
      await db
        .updateTable('jobs')
        .set({ reserved_at: null, reserved_by: null, available_at: new Date(now.getTime() + outcome.delayMs) })
        .where('id', '=', row.id)
        .where('reserved_by', '=', row.token)
        .execute();
    } else {
      await db.transaction().execute(async (trx) => {
        const gone = await mine(trx).executeTakeFirst();
        // A reservation lost to another worker (we were presumed dead) is that worker's to settle now.
        if (Number(gone.numDeletedRows) === 0) return;
        await trx
          .insertInto('failed_jobs')
          .values({
            queue: row.queue,
            name: row.name,
            payload: row.payload,
            attempts: row.attempts,
            error: outcome.error.message || outcome.error.name,
            stack: outcome.error.stack ?? null,
            failed_at: now,
          })
          .execute();
      });
      await recordMetric(db, dialect, row.queue, now, 'failed');
    }
  }

  /** Hands the jobs of workers that stopped answering (no heartbeat for retryAfter) back to the queue. */
  async function releaseStale(): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ reserved_at: null, reserved_by: null })
      .where('reserved_at', '<=', new Date(clock.now().getTime() - retryAfterMs))
      .execute();
  }

  async function touch(row: Row & { token: string }): Promise<void> {
    await db
      .updateTable('jobs')
      .set({ reserved_at: clock.now() })
      .where('id', '=', row.id)
      .where('reserved_by', '=', row.token)
      .execute();
  }

  return {
    name: 'database',

    async enqueue(job: NewJob): Promise<string> {
      const now = clock.now();
      const values = {
        queue: job.queue ?? DEFAULT_QUEUE,
        name: job.name,
        payload: JSON.stringify(job.payload ?? null),
        attempts: 0,
        max_attempts: job.maxAttempts ?? 0,
        timeout_ms: job.timeoutMs ?? null,
        available_at: new Date(now.getTime() + (job.delayMs ?? 0)),
        created_at: now,
      };
      if (dialect === 'postgres') {
        const row = await db.insertInto('jobs').values(values).returning('id').executeTakeFirstOrThrow();
        return String(row.id);
      }
      const result = await db.insertInto('jobs').values(values).executeTakeFirstOrThrow();
      return String(result.insertId);
    },

    consume(opts: ConsumeOptions, process: (job: ReservedJob) => Promise<JobOutcome>): Consumer {
      let nextRelease = 0;
      return runSlots({
        concurrency: opts.concurrency,
        sleepMs: opts.sleepMs,
        clock,
        async next() {
          if (clock.now().getTime() >= nextRelease) {
            nextRelease = clock.now().getTime() + Math.max(retryAfterMs / 3, 500);
            await releaseStale();
          }
          const row = await reserve(opts.queues, opts.workerId);
          if (!row) return null;
          return async () => {
            // Keep the reservation fresh, so a long job is not mistaken for one whose worker died.
            const beat = setInterval(() => void touch(row).catch(() => undefined), Math.max(retryAfterMs / 3, 50));
            let outcome: JobOutcome;
            try {
              outcome = await process(toReserved(row));
            } finally {
              clearInterval(beat);
            }
            await settle(row, outcome);
          };
        },
      });
    },

    listFailed: () => listFailed(db),
    retryFailed: (ids) => retryFailed(db, clock.now(), ids),
    forgetFailed: (id) => forgetFailed(db, id),
    flushFailed: (olderThanMs) => flushFailed(db, clock.now(), olderThanMs),

    counts(): Promise<QueueCounts[]> {
      return readCounts(db, clock.now(), retryAfterMs);
    },

    async close(): Promise<void> {
      // The database handle belongs to the app; nothing of our own to release.
    },
  };
}

function toReserved(row: Row): ReservedJob {
  return {
    id: String(row.id),
    name: row.name,
    queue: row.queue,
    payload: parsePayload(row.payload),
    attempt: row.attempts,
    maxAttempts: row.max_attempts,
    timeoutMs: row.timeout_ms ?? undefined,
    enqueuedAt: row.available_at,
  };
}
