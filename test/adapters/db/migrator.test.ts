import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { testConfig } from '../../support/config.js';
import { createDatabase, type Database } from '../../../src/adapters/db/database.js';
import { Migrator, MigrationFailedError } from '../../../src/adapters/db/migrator.js';
import { MigrationLockTimeoutError } from '../../../src/adapters/db/migration-lock.js';
import { migrations } from '../../../src/adapters/db/migrations/index.js';
import type { Migration } from '../../../src/adapters/db/migrations/migration.js';
import type { Dialect } from '../../../src/config/index.js';

async function tableNames(db: Database): Promise<string[]> {
  const tables = await db.primary.introspection.getTables();
  return tables.map((t) => t.name).sort();
}

function migratorFor(
  db: Database,
  testDb: TestDatabase,
  list: readonly Migration[] = migrations,
  lockTimeoutMs = 5000,
) {
  return new Migrator({
    db: db.primary,
    dialect: db.dialect,
    databaseName: testDb.name,
    migrations: list,
    lockTimeoutMs,
  });
}

const APP_TABLES = [
  'api_tokens',
  'article_tags',
  'articles',
  'comments',
  'failed_jobs',
  'jobs',
  'media',
  'queue_metrics',
  'schedule_runs',
  'sessions',
  'tags',
  'users',
];

describeEachDialect('migrations', (dialect: Dialect) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    db = await createDatabase(testConfig({ DATABASE_URL: testDb.url }));
  });
  afterAll(async () => {
    await db?.destroy();
    await testDb?.drop();
  });
  afterEach(async () => {
    // Every test starts from an empty schema.
    await migratorFor(db, testDb).rollback(100);
  });

  it('--pretend prints SQL for every pending migration and leaves the table list unchanged', async () => {
    const before = await tableNames(db);
    const plan = await migratorFor(db, testDb).pretend();
    expect(plan.map((p) => p.name)).toEqual(migrations.map((m) => m.name));
    expect(plan[0]!.statements.join('\n')).toMatch(/create table .users./i);
    expect(await tableNames(db)).toEqual(before);
  });

  it('applies every migration as one batch, then reports nothing pending', async () => {
    const migrator = migratorFor(db, testDb);
    const result = await migrator.migrate();
    expect(result.applied).toEqual(migrations.map((m) => m.name));
    expect(result.batch).toBe(1);
    const tables = await tableNames(db);
    for (const t of APP_TABLES) expect(tables).toContain(t);
    expect(await migrator.pending()).toEqual([]);
    expect((await migrator.migrate()).applied).toEqual([]);
    expect(await migrator.pretend()).toEqual([]);
  });

  it('rollback --step=N then migrate round-trips to the same schema', async () => {
    const migrator = migratorFor(db, testDb);
    await migrator.migrate();
    const full = await tableNames(db);
    // Back to just after 0004_create_comments, however many migrations come after it.
    const step = migrations.length - 4;
    const { rolledBack } = await migrator.rollback(step);
    expect(rolledBack).toEqual(
      migrations
        .slice(-step)
        .map((m) => m.name)
        .reverse(),
    );
    const afterRollback = await tableNames(db);
    // Rolled back: 0005 (jobs, failed_jobs) and everything after it (queue_metrics, schedule_runs, …).
    expect(afterRollback).not.toContain('jobs');
    expect(afterRollback).not.toContain('schedule_runs');
    expect(afterRollback).toContain('comments');
    const again = await migrator.migrate();
    expect(again.applied).toEqual(migrations.slice(-step).map((m) => m.name));
    expect(again.batch).toBe(2);
    expect(await tableNames(db)).toEqual(full);
  });

  it('rollback without --step undoes the last batch only', async () => {
    const migrator3 = migratorFor(db, testDb, migrations.slice(0, 3));
    await migrator3.migrate();
    const migrator = migratorFor(db, testDb);
    await migrator.migrate();
    const { rolledBack } = await migrator.rollback();
    expect(rolledBack).toEqual(
      migrations
        .slice(3)
        .map((m) => m.name)
        .reverse(),
    );
    const states = await migrator.status();
    expect(states.filter((s) => s.batch === 1).map((s) => s.name)).toEqual(migrations.slice(0, 3).map((m) => m.name));
  });

  it('a failing migration stops, names itself, and leaves the schema at the last good migration', async () => {
    const broken: Migration = {
      name: '0006_broken',
      async up(k) {
        await k.schema
          .createTable('half_done')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .execute();
        await sql`select * from a_table_that_does_not_exist`.execute(k);
      },
      async down(k) {
        await k.schema.dropTable('half_done').ifExists().execute();
      },
    };
    const after: Migration = {
      name: '0007_never_reached',
      up: async (k) => void (await k.schema.createTable('never').addColumn('id', 'integer').execute()),
      down: async (k) => void (await k.schema.dropTable('never').execute()),
    };
    const migrator = migratorFor(db, testDb, [...migrations, broken, after]);
    const err = await migrator.migrate().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationFailedError);
    expect((err as MigrationFailedError).migration).toBe('0006_broken');
    expect((err as MigrationFailedError).lastGood).toBe(migrations.at(-1)!.name);
    const states = await migrator.status();
    expect(states.filter((s) => s.batch !== null).map((s) => s.name)).toEqual(migrations.map((m) => m.name));
    const tables = await tableNames(db);
    expect(tables).not.toContain('never');
    // Transactional DDL undoes the failed migration's first statement too; MySQL cannot (documented).
    if (dialect !== 'mysql') expect(tables).not.toContain('half_done');
    else await sql`drop table if exists half_done`.execute(db.primary);
  });

  it('two runs at once: one applies, the other waits and finds nothing left to do', async () => {
    const second = await createDatabase(testConfig({ DATABASE_URL: testDb.url }));
    try {
      // A slow first migration keeps the lock held while the second run starts.
      const slowFirst: Migration = {
        ...migrations[0]!,
        async up(k, d) {
          await new Promise((r) => setTimeout(r, 400));
          await migrations[0]!.up(k, d);
        },
      };
      const list = [slowFirst, ...migrations.slice(1)];
      const a = migratorFor(db, testDb, list);
      const b = new Migrator({
        db: second.primary,
        dialect,
        databaseName: testDb.name,
        migrations: list,
        lockTimeoutMs: 20_000,
      });
      const [ra, rb] = await Promise.all([a.migrate(), new Promise((r) => setTimeout(r, 100)).then(() => b.migrate())]);
      const appliedCounts = [ra.applied.length, rb.applied.length].sort();
      expect(appliedCounts).toEqual([0, migrations.length]);
      const rows = await db.primary.selectFrom('inkstone_migrations').select('name').execute();
      expect(rows).toHaveLength(migrations.length);
    } finally {
      await second.destroy();
    }
  });

  it('a run that cannot get the lock in time fails cleanly and applies nothing', async () => {
    const second = await createDatabase(testConfig({ DATABASE_URL: testDb.url }));
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const isHolding = new Promise<void>((r) => (started = r));
      const blocking: Migration = {
        name: '0001_blocking',
        async up() {
          started();
          await held;
        },
        down: async () => {},
      };
      const a = migratorFor(db, testDb, [blocking]);
      const b = new Migrator({
        db: second.primary,
        dialect,
        databaseName: testDb.name,
        migrations: [blocking],
        lockTimeoutMs: 300,
      });
      const first = a.migrate();
      await isHolding;
      await expect(b.migrate()).rejects.toBeInstanceOf(MigrationLockTimeoutError);
      release();
      expect((await first).applied).toEqual(['0001_blocking']);
      await a.rollback();
    } finally {
      await second.destroy();
    }
  });

  it('stores and returns timestamps as the same instant on every dialect', async () => {
    await migratorFor(db, testDb).migrate();
    const at = new Date('2026-11-25T14:03:00.123Z');
    await db.primary
      .insertInto('users')
      .values({
        email: 'a@example.com',
        name: 'A',
        role: 'admin',
        password_hash: 'x',
        bio: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const row = await db.primary.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(row.created_at).toBeInstanceOf(Date);
    expect(row.created_at.toISOString()).toBe(at.toISOString());
    expect(typeof row.id).toBe('number');
    const count = await db.primary
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
    await db.primary.deleteFrom('users').execute();
  });
});

describe('migration list', () => {
  it('names are unique and in apply order', () => {
    const names = migrations.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(names);
  });
});
