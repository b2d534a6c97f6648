import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../../support/databases.js';
import { testConfig } from '../../support/config.js';
import { createDatabase, type Database } from '../../../src/adapters/db/database.js';
import { Migrator } from '../../../src/adapters/db/migrator.js';
import { migrations } from '../../../src/adapters/db/migrations/index.js';
import { preparedSelect } from '../../../src/adapters/db/prepared-select.js';
import type { DB } from '../../../src/adapters/db/schema.js';
import type { Dialect } from '../../../src/config/index.js';

describeEachDialect('prepared selects', (dialect: Dialect) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    db = await createDatabase(testConfig({ DATABASE_URL: testDb.url }));
    await new Migrator({
      db: db.primary,
      dialect,
      databaseName: testDb.name,
      migrations,
      lockTimeoutMs: 5000,
    }).migrate();
    await db.primary
      .insertInto('tags')
      .values(['alpha', 'beta', 'gamma', 'delta'].map((name) => ({ name, slug: name, created_at: new Date() })))
      .execute();
  });
  afterAll(async () => {
    await db?.destroy();
    await testDb?.drop();
  });

  const slugs = (rows: Array<{ slug: string }>) => rows.map((r) => r.slug);

  it('builds once per handle and binds each call’s values to the same SQL', async () => {
    let builds = 0;
    const q = preparedSelect((k: Kysely<DB>, from: string, limit: number) => {
      builds++;
      return k.selectFrom('tags').select('slug').where('slug', '>=', from).orderBy('slug').limit(limit);
    });
    expect(slugs(await q.execute(db.primary, 'b', 2))).toEqual(['beta', 'delta']);
    expect(slugs(await q.execute(db.primary, 'a', 1))).toEqual(['alpha']);
    expect(slugs(await q.execute(db.primary, 'z', 5))).toEqual([]);
    expect(builds).toBe(1);
  });

  it('takes list elements as values (one statement per list length)', async () => {
    const q = preparedSelect(
      (k, ...names: string[]) => k.selectFrom('tags').select('slug').where('name', 'in', names).orderBy('slug'),
      2,
    );
    expect(slugs(await q.execute(db.primary, 'gamma', 'alpha'))).toEqual(['alpha', 'gamma']);
    expect(slugs(await q.execute(db.primary, 'delta', 'nope'))).toEqual(['delta']);
  });

  it('a transaction compiles for its own handle and reads its own uncommitted rows', async () => {
    const q = preparedSelect((k, slug: string) => k.selectFrom('tags').select('slug').where('slug', '=', slug));
    expect(await q.execute(db.primary, 'epsilon')).toEqual([]);
    await db.primary
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('tags').values({ name: 'epsilon', slug: 'epsilon', created_at: new Date() }).execute();
        expect(slugs(await q.execute(trx, 'epsilon'))).toEqual(['epsilon']);
        throw new Error('roll back');
      })
      .catch((err: Error) => expect(err.message).toBe('roll back'));
    expect(await q.execute(db.primary, 'epsilon')).toEqual([]);
  });

  it('follows a schema change made after it was first run (a migration adding a column)', async () => {
    const q = preparedSelect((k, slug: string) => k.selectFrom('tags').selectAll().where('slug', '=', slug));
    const [before] = await q.execute(db.primary, 'alpha');
    expect(before).not.toHaveProperty('colour');
    await sql`alter table tags add column colour varchar(20) default 'red'`.execute(db.primary);
    try {
      const [after] = await q.execute(db.primary, 'alpha');
      expect(after).toMatchObject({ slug: 'alpha', colour: 'red' });
    } finally {
      await sql`alter table tags drop column colour`.execute(db.primary);
    }
    const [again] = await q.execute(db.primary, 'alpha');
    expect(again).not.toHaveProperty('colour');
  });

  it('refuses a write: plugins see a prepared query only once, when it is compiled', async () => {
    const q = preparedSelect(
      (k, name: string) =>
        k.insertInto('tags').values({ name, slug: name, created_at: new Date() }) as unknown as ReturnType<
          Kysely<DB>['selectFrom']
        >,
    );
    await expect(q.execute(db.primary, 'zeta')).rejects.toThrow(/InsertQueryNode is no SELECT/);
    expect(await db.primary.selectFrom('tags').select('slug').where('slug', '=', 'zeta').execute()).toEqual([]);
  });

  it('refuses a value that was computed with instead of used as a value', async () => {
    const q = preparedSelect((k, page: number) =>
      k
        .selectFrom('tags')
        .select('slug')
        .limit(10)
        .offset((page - 1) * 10),
    );
    await expect(q.execute(db.primary, 2)).rejects.toThrow(/value 0 was not used as a value/);
  });
});
