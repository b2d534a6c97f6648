import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { testConfig } from './config.js';
import { createDatabase, type Database } from '../../src/adapters/db/database.js';
import { Migrator } from '../../src/adapters/db/migrator.js';
import { migrations } from '../../src/adapters/db/migrations/index.js';
import type { Migration } from '../../src/adapters/db/migrations/migration.js';
import type { Dialect } from '../../src/config/index.js';

export interface SuiteDatabase {
  /** The app's Database on the suite's own test database (set once beforeAll has run). */
  readonly db: Database;
  readonly testDb: TestDatabase;
  /** A migrator over `list` (default: every migration) on that database. */
  migrator(list?: readonly Migration[]): Migrator;
}

/**
 * Declares, inside a describe block, a test database of the suite's own for `dialect`: created (and with `migrate`,
 * fully migrated) before the suite's tests, dropped after them.
 */
export function useSuiteDatabase(dialect: Dialect, options: { migrate?: boolean } = {}): SuiteDatabase {
  let db: Database | undefined;
  let testDb: TestDatabase | undefined;
  const suite: SuiteDatabase = {
    get db() {
      if (!db) throw new Error('the suite database is not open yet (use it inside tests or hooks)');
      return db;
    },
    get testDb() {
      if (!testDb) throw new Error('the suite database is not created yet (use it inside tests or hooks)');
      return testDb;
    },
    migrator: (list = migrations) =>
      new Migrator({
        db: suite.db.primary,
        dialect,
        databaseName: suite.testDb.name,
        migrations: list,
        lockTimeoutMs: 5000,
      }),
  };
  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    db = await createDatabase(testConfig({ DATABASE_URL: testDb.url }));
    if (options.migrate) await suite.migrator().migrate();
  });
  afterAll(async () => {
    await db?.destroy();
    await testDb?.drop();
  });
  return suite;
}
