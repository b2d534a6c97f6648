import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, dialectAvailability, type TestDatabase } from '../../support/databases.js';
import { parseDatabaseUrl } from '../../../src/config/database-url.js';
import { openKysely } from '../../../src/adapters/db/database.js';
import { mysqlLockName, tryMysqlLock, tryPostgresLock, tryServerLock } from '../../../src/adapters/db/named-lock.js';

// The server-held named lock behind the backup lock and the migration lock, on the servers it targets.
for (const dialect of ['mysql', 'postgres'] as const) {
  const { available, reason } = dialectAvailability(dialect);
  describe.skipIf(!available)(`named server lock [${dialect}]${available ? '' : ` (skipped: ${reason})`}`, () => {
    let testDb: TestDatabase;
    let target: Extract<ReturnType<typeof parseDatabaseUrl>, { dialect: 'mysql' | 'postgres' }>;

    beforeAll(async () => {
      testDb = await createTestDatabase(dialect);
      target = parseDatabaseUrl('DATABASE_URL', testDb.url, process.cwd()) as typeof target;
    });
    afterAll(async () => {
      await testDb?.drop();
    });

    it('one holder at a time; the refusal names the holder; release lets the next one in', async () => {
      const first = await tryServerLock(target, 'inkstone_test_lock', 'test holder one');
      expect(first.ok).toBe(true);
      const second = await tryServerLock(target, 'inkstone_test_lock', 'test holder two');
      expect(second.ok).toBe(false);
      if (!second.ok && dialect === 'postgres') expect(second.holder).toContain('test holder one');
      if (!second.ok && dialect === 'mysql') expect(second.holder).toMatch(/^MySQL connection \d+ from /);
      if (first.ok) await first.release();
      const third = await tryServerLock(target, 'inkstone_test_lock', 'test holder three');
      expect(third.ok).toBe(true);
      if (third.ok) await third.release();
    });

    it('the holding session lifts the server idle limit, so a long backup keeps its lock', async () => {
      const { db, close } = await openKysely(target, 1);
      try {
        await db.connection().execute(async (conn) => {
          const attempt =
            dialect === 'postgres'
              ? await tryPostgresLock(conn, 0x1a75_7e57, 'idle limit test')
              : await tryMysqlLock(conn, mysqlLockName('inkstone_idle_test', testDb.name));
          expect(attempt.ok).toBe(true);
          if (dialect === 'postgres') {
            const { rows } = await sql<{ v: string }>`select current_setting('idle_session_timeout') as v`.execute(
              conn,
            );
            expect(rows[0]?.v).toBe('0');
          } else {
            const { rows } = await sql<{ v: number }>`select @@session.wait_timeout as v`.execute(conn);
            expect(Number(rows[0]?.v)).toBe(604_800);
          }
          if (attempt.ok) await attempt.unlock();
        });
      } finally {
        await close();
      }
    });

    if (dialect === 'postgres') {
      it('survives a database whose sessions are closed after 1 s idle', async () => {
        // Set on this test's own database only: new sessions there start with the 1 s limit.
        const { db: admin, close: closeAdmin } = await openKysely(target, 1);
        await sql.raw(`alter database "${testDb.name}" set idle_session_timeout = '1s'`).execute(admin);
        await closeAdmin();
        const held = await tryServerLock(target, 'inkstone_idle_lock', 'long backup');
        expect(held.ok).toBe(true);
        await new Promise((r) => setTimeout(r, 2500));
        const other = await tryServerLock(target, 'inkstone_idle_lock', 'second run');
        expect(other.ok).toBe(false);
        if (held.ok) await held.release();
      });
    }
  });
}
