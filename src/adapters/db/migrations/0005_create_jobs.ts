import { addId, longTextType, timestampType } from '../column-types.js';
import { createTable, type Migration } from './migration.js';

export const createJobs: Migration = {
  name: '0005_create_jobs',
  async up(db, dialect) {
    const ts = timestampType(dialect);
    await addId(createTable(db, 'jobs', dialect), dialect)
      .addColumn('queue', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      .addColumn('payload', longTextType(dialect), (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
      .addColumn('available_at', ts, (c) => c.notNull())
      .addColumn('reserved_at', ts)
      .addColumn('reserved_by', 'varchar(128)')
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    // Workers pick the oldest available job of their queue.
    await db.schema.createIndex('jobs_queue_available_index').on('jobs').columns(['queue', 'available_at']).execute();

    await addId(createTable(db, 'failed_jobs', dialect), dialect)
      .addColumn('queue', 'varchar(64)', (c) => c.notNull())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      .addColumn('payload', longTextType(dialect), (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('error', 'text', (c) => c.notNull())
      .addColumn('stack', longTextType(dialect))
      .addColumn('failed_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('failed_jobs_failed_at_index').on('failed_jobs').column('failed_at').execute();
  },
  async down(db) {
    await db.schema.dropTable('failed_jobs').execute();
    await db.schema.dropTable('jobs').execute();
  },
};
