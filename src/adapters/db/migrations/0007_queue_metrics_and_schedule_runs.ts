import { addId, timestampType } from '../column-types.js';
import { createTable, type Migration } from './migration.js';

export const createQueueMetricsAndScheduleRuns: Migration = {
  name: '0007_queue_metrics_and_schedule_runs',
  async up(db, dialect) {
    const ts = timestampType(dialect);
    await db.schema.alterTable('jobs').addColumn('timeout_ms', 'integer').execute();

    // One row per queue and minute: queue:stats reads an hour of them; the heartbeat prunes older than a day.
    await createTable(db, 'queue_metrics', dialect)
      .addColumn('queue', 'varchar(64)', (c) => c.notNull())
      .addColumn('minute_at', ts, (c) => c.notNull())
      .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('queue_metrics_pk', ['queue', 'minute_at'])
      .execute();

    // The unique (task, slot) pair is the cross-process lock: of two schedulers, only one inserts a slot's row.
    await addId(createTable(db, 'schedule_runs', dialect), dialect)
      .addColumn('task', 'varchar(128)', (c) => c.notNull())
      .addColumn('slot_at', ts, (c) => c.notNull())
      .addColumn('owner', 'varchar(191)', (c) => c.notNull())
      .addColumn('started_at', ts, (c) => c.notNull())
      .addColumn('ended_at', ts)
      .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
      .addColumn('output', 'text')
      .addUniqueConstraint('schedule_runs_task_slot_unique', ['task', 'slot_at'])
      .execute();
    await db.schema.createIndex('schedule_runs_started_at_index').on('schedule_runs').column('started_at').execute();
  },
  async down(db) {
    await db.schema.dropTable('schedule_runs').execute();
    await db.schema.dropTable('queue_metrics').execute();
    await db.schema.alterTable('jobs').dropColumn('timeout_ms').execute();
  },
};
