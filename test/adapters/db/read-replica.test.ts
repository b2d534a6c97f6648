import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../../support/databases.js';
import { testConfig } from '../../support/config.js';
import { createDatabase, type Database } from '../../../src/adapters/db/database.js';
import { Migrator } from '../../../src/adapters/db/migrator.js';
import { migrations } from '../../../src/adapters/db/migrations/index.js';
import type { Dialect } from '../../../src/config/index.js';

// A real replica needs replication; two databases with the same schema stand in for primary and replica here,
// which is enough to see which one each read goes to.
describeEachDialect('read replica routing', (dialect: Dialect) => {
  if (dialect === 'sqlite') {
    it('is not offered on SQLite (config refuses DATABASE_READ_URL)', () => {
      expect(() =>
        testConfig({ DATABASE_URL: 'sqlite:/tmp/a.sqlite', DATABASE_READ_URL: 'sqlite:/tmp/b.sqlite' }),
      ).toThrow(/DATABASE_READ_URL/);
    });
    return;
  }
  let primaryDb: TestDatabase;
  let replicaDb: TestDatabase;
  let db: Database;
  const at = new Date();
  const user = (email: string) => ({
    email,
    name: email,
    role: 'author' as const,
    password_hash: 'x',
    bio: null,
    created_at: at,
    updated_at: at,
  });

  beforeAll(async () => {
    primaryDb = await createTestDatabase(dialect);
    replicaDb = await createTestDatabase(dialect);
    db = await createDatabase(testConfig({ DATABASE_URL: primaryDb.url, DATABASE_READ_URL: replicaDb.url }));
    for (const target of [primaryDb, replicaDb]) {
      const one = await createDatabase(testConfig({ DATABASE_URL: target.url }));
      await new Migrator({
        db: one.primary,
        dialect,
        databaseName: target.name,
        migrations,
        lockTimeoutMs: 5000,
      }).migrate();
      await one.primary
        .insertInto('users')
        .values(user(target === primaryDb ? 'p@example.com' : 'r@example.com'))
        .execute();
      await one.destroy();
    }
  });
  afterAll(async () => {
    await db?.destroy();
    await primaryDb?.drop();
    await replicaDb?.drop();
  });

  const emails = async (k: ReturnType<Database['reader']>) =>
    (await k.selectFrom('users').select('email').orderBy('email').execute()).map((r) => r.email);

  it('reads go to the replica outside any write', async () => {
    expect(db.hasReplica).toBe(true);
    expect(await emails(db.reader())).toEqual(['r@example.com']);
    expect(await emails(db.primary)).toEqual(['p@example.com']);
  });

  it('a scope that wrote reads its own writes from the primary; other scopes still use the replica', async () => {
    await db.runInScope(async () => {
      expect(await emails(db.reader())).toEqual(['r@example.com']);
      await db.primary.insertInto('users').values(user('new@example.com')).execute();
      expect(await emails(db.reader())).toEqual(['new@example.com', 'p@example.com']);
    });
    await db.runInScope(async () => {
      expect(await emails(db.reader())).toEqual(['r@example.com']);
    });
  });
});
