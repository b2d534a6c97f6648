import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { testConfig } from '../../support/config.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { createDatabase, type Database } from '../../../src/adapters/db/database.js';
import { DatabaseTimeoutError } from '../../../src/adapters/db/query-timeout.js';
import { Migrator, MigrationFailedError } from '../../../src/adapters/db/migrator.js';
import type { Migration } from '../../../src/adapters/db/migrations/migration.js';
import type { DB } from '../../../src/adapters/db/schema.js';
import type { Dialect } from '../../../src/config/index.js';

const BUDGET_MS = 500;

/** How long `fn` took, and what it threw (undefined when it succeeded). */
async function timed(fn: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await fn();
    return { ms: performance.now() - started, error: undefined };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

const sleepSql = (dialect: Dialect, seconds: number) =>
  dialect === 'postgres' ? sql`select pg_sleep(${seconds})` : sql`select sleep(${seconds})`;

const one = async (db: Kysely<DB>) => (await sql<{ x: number }>`select 1 as x`.execute(db)).rows[0]?.x;

/** A migration whose one statement runs `seconds`: what a big index or backfill looks like to the budget. */
const slowMigration = (dialect: Dialect, seconds: number): Migration => ({
  name: '9999_slow',
  up: async (db) => {
    await sleepSql(dialect, seconds).execute(db);
  },
  down: async () => {},
});

describeEachDialect('per-statement budget', (dialect: Dialect) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    db = await createDatabase(testConfig({ DATABASE_URL: testDb.url }), { queryTimeoutMs: BUDGET_MS });
  });
  afterAll(async () => {
    await db?.destroy();
    await testDb?.drop();
  });

  if (dialect === 'sqlite') {
    it('a write lock held past the budget fails the write with a timeout; the next write succeeds', async () => {
      const { default: BetterSqlite3 } = await import('better-sqlite3');
      await sql`create table t_lock (x integer)`.execute(db.primary);
      // Another process's long write transaction: a second connection to the same file holding the write lock.
      const holder = new BetterSqlite3(testDb.name);
      try {
        holder.exec('begin immediate');
        const blocked = await timed(() => sql`insert into t_lock (x) values (1)`.execute(db.primary));
        expect(blocked.error).toBeInstanceOf(DatabaseTimeoutError);
        expect((blocked.error as DatabaseTimeoutError).code).toBe('database_timeout');
        expect((blocked.error as DatabaseTimeoutError).status).toBe(503);
        expect(blocked.ms).toBeGreaterThanOrEqual(BUDGET_MS - 50);
        expect(blocked.ms).toBeLessThan(BUDGET_MS + 1000);
        holder.exec('rollback');
      } finally {
        holder.close();
      }
      await sql`insert into t_lock (x) values (2)`.execute(db.primary);
      expect((await sql<{ n: number }>`select count(*) as n from t_lock`.execute(db.primary)).rows[0]?.n).toBe(1);
    });
    return;
  }

  it('a slow query is cancelled by the server at the budget; the pool serves the next query', async () => {
    const slow = await timed(() => sleepSql(dialect, 5).execute(db.primary));
    expect(slow.error).toBeInstanceOf(DatabaseTimeoutError);
    expect((slow.error as DatabaseTimeoutError).code).toBe('database_timeout');
    // The server's own cancel (not the client's later deadline) ended it.
    expect((slow.error as Error).cause).toMatchObject(dialect === 'postgres' ? { code: '57014' } : { errno: 1969 });
    expect(slow.ms).toBeGreaterThanOrEqual(BUDGET_MS - 50);
    expect(slow.ms).toBeLessThan(BUDGET_MS + 1000);
    expect(await one(db.primary)).toBe(1);
    // Several in a row on a small pool: every connection the cancels touched is still good.
    for (let i = 0; i < 3; i++) {
      expect((await timed(() => sleepSql(dialect, 2).execute(db.primary))).error).toBeInstanceOf(DatabaseTimeoutError);
      expect(await one(db.primary)).toBe(1);
    }
  });

  it('a server that stops answering fails the query at the client deadline; the connection is replaced', async () => {
    const proxy: TcpProxy = await startTcpProxy('127.0.0.1', dialect === 'postgres' ? 5432 : 3306);
    const u = new URL(testDb.url);
    u.port = String(proxy.port);
    const viaProxy = await createDatabase(testConfig({ DATABASE_URL: u.toString(), DATABASE_POOL_MAX: '1' }), {
      queryTimeoutMs: BUDGET_MS,
    });
    try {
      expect(await one(viaProxy.primary)).toBe(1);
      proxy.hang();
      const hung = await timed(() => one(viaProxy.primary));
      expect(hung.error).toBeInstanceOf(DatabaseTimeoutError);
      expect(hung.ms).toBeGreaterThanOrEqual(BUDGET_MS - 50);
      expect(hung.ms).toBeLessThan(BUDGET_MS + 1500);
      // A transaction meets the same deadline once, not once for its statement and again for its rollback.
      const inTrx = await timed(() => viaProxy.primary.transaction().execute((trx) => one(trx)));
      expect(inTrx.error).toBeInstanceOf(DatabaseTimeoutError);
      expect(inTrx.ms).toBeLessThan(BUDGET_MS + 1500);
      proxy.resume();
      // The pool has one connection: the hung one was destroyed, or this would wait on its swallowed query.
      const after = await timed(() => one(viaProxy.primary));
      expect(after.error).toBeUndefined();
      expect(after.ms).toBeLessThan(BUDGET_MS);
    } finally {
      await proxy.close();
      await viaProxy.destroy();
    }
  });

  it('the unbudgeted handle runs a statement longer than the budget', async () => {
    const ran = await timed(() => sleepSql(dialect, 1.2).execute(db.unbudgeted));
    expect(ran.error).toBeUndefined();
    expect(ran.ms).toBeGreaterThanOrEqual(1150);
  });

  it('a migration longer than the budget succeeds on the unbudgeted handle (and would fail on the budgeted one)', async () => {
    const migrator = (handle: Kysely<DB>) =>
      new Migrator({
        db: handle,
        dialect,
        databaseName: testDb.name,
        migrations: [slowMigration(dialect, 1.2)],
        lockTimeoutMs: 5000,
      });
    const budgeted = await timed(() => migrator(db.primary).migrate());
    expect(budgeted.error).toBeInstanceOf(MigrationFailedError);
    expect((budgeted.error as MigrationFailedError).cause).toBeInstanceOf(DatabaseTimeoutError);
    expect(await migrator(db.unbudgeted).migrate()).toEqual({ applied: ['9999_slow'], batch: 1 });
  });
});
