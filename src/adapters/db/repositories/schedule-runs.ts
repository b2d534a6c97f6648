import type { Kysely } from 'kysely';
import type { Dialect } from '../../../config/index.js';
import type { DB, ScheduleRunsTable } from '../schema.js';

export type RunOutcome = ScheduleRunsTable['outcome'];

export interface ScheduleRun {
  id: number;
  task: string;
  slotAt: Date;
  owner: string;
  startedAt: Date;
  endedAt: Date | null;
  outcome: RunOutcome;
  output: string | null;
}

/** The record of scheduled runs; its unique (task, slot) key is what makes a slot run once across schedulers. */
export interface ScheduleRunStore {
  /** Inserts the slot's run; false when another scheduler already has it. */
  claim(run: {
    task: string;
    slotAt: Date;
    owner: string;
    startedAt: Date;
    outcome: RunOutcome;
  }): Promise<number | false>;
  finish(id: number, outcome: RunOutcome, endedAt: Date, output: string | null): Promise<void>;
  /** Whether a run of the task started after `since` has not finished (a crashed run stops counting at `since`). */
  isRunning(task: string, since: Date): Promise<boolean>;
  latest(task: string): Promise<ScheduleRun | undefined>;
  between(from: Date, to: Date): Promise<ScheduleRun[]>;
}

export function createScheduleRunStore(db: Kysely<DB>, dialect: Dialect): ScheduleRunStore {
  return {
    async claim(run) {
      const row = {
        task: run.task,
        slot_at: run.slotAt,
        owner: run.owner,
        started_at: run.startedAt,
        outcome: run.outcome,
      };
      try {
        if (dialect === 'mysql') {
          const result = await db.insertInto('schedule_runs').values(row).executeTakeFirstOrThrow();
          return Number(result.insertId);
        }
        const result = await db.insertInto('schedule_runs').values(row).returning('id').executeTakeFirstOrThrow();
        return Number(result.id);
      } catch (err) {
        // A unique violation means another scheduler claimed the slot first; anything else is a real failure.
        const taken = await db
          .selectFrom('schedule_runs')
          .select('id')
          .where('task', '=', run.task)
          .where('slot_at', '=', run.slotAt)
          .executeTakeFirst();
        if (taken) return false;
        throw err;
      }
    },
    async finish(id, outcome, endedAt, output) {
      await db.updateTable('schedule_runs').set({ outcome, ended_at: endedAt, output }).where('id', '=', id).execute();
    },
    async isRunning(task, since) {
      const row = await db
        .selectFrom('schedule_runs')
        .select('id')
        .where('task', '=', task)
        .where('outcome', '=', 'running')
        .where('started_at', '>', since)
        .executeTakeFirst();
      return row !== undefined;
    },
    async latest(task) {
      const row = await db
        .selectFrom('schedule_runs')
        .selectAll()
        .where('task', '=', task)
        .where('outcome', '!=', 'skipped')
        .orderBy('slot_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toRun(row) : undefined;
    },
    async between(from, to) {
      const rows = await db
        .selectFrom('schedule_runs')
        .selectAll()
        .where('slot_at', '>=', from)
        .where('slot_at', '<', to)
        .orderBy('slot_at')
        .orderBy('task')
        .execute();
      return rows.map(toRun);
    },
  };
}

function toRun(r: {
  id: number | bigint;
  task: string;
  slot_at: Date;
  owner: string;
  started_at: Date;
  ended_at: Date | null;
  outcome: RunOutcome;
  output: string | null;
}): ScheduleRun {
  return {
    id: Number(r.id),
    task: r.task,
    slotAt: r.slot_at,
    owner: r.owner,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    outcome: r.outcome,
    output: r.output,
  };
}
