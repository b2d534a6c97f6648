import { beforeAll, expect, it, vi } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { describeEachDialect } from '../../support/databases.js';
import { useSuiteDatabase } from '../../support/suite-database.js';
import { preparedSelect } from '../../../src/adapters/db/prepared-select.js';
import { createDatabase } from '../../../src/adapters/db/database.js';
import { testConfig } from '../../support/config.js';
import type { DB } from '../../../src/adapters/db/schema.js';
import type { Dialect } from '../../../src/config/index.js';

describeEachDialect('prepared selects', (dialect: Dialect) => {
  const suite = useSuiteDatabase(dialect, { migrate: true });

  beforeAll(async () => {
    await suite.db.primary
      .insertInto('tags')
      .values(['alpha', 'beta', 'gamma', 'delta'].map((name) => ({ name, slug: name, created_at: new Date() })))
      .execute();
  });

  const slugs = (rows: Array<{ slug: string }>) => rows.map((r) => r.slug);

  it('builds once per handle and binds each call’s values to the same SQL', async () => {
    let builds = 0;
    const q = preparedSelect((k: Kysely<DB>, from: string, limit: number) => {
      builds++;
      return k.selectFrom('tags').select('slug').where('slug', '>=', from).orderBy('slug').limit(limit);
    });
    expect(slugs(await q.execute(suite.db.primary, 'b', 2))).toEqual(['beta', 'delta']);
    expect(slugs(await q.execute(suite.db.primary, 'a', 1))).toEqual(['alpha']);
    expect(slugs(await q.execute(suite.db.primary, 'z', 5))).toEqual([]);
    expect(builds).toBe(1);
  });

  it('takes list elements as values (one statement per list length)', async () => {
    const q = preparedSelect(
      (k, ...names: string[]) => k.selectFrom('tags').select('slug').where('name', 'in', names).orderBy('slug'),
      2,
    );
    expect(slugs(await q.execute(suite.db.primary, 'gamma', 'alpha'))).toEqual(['alpha', 'gamma']);
    expect(slugs(await q.execute(suite.db.primary, 'delta', 'nope'))).toEqual(['delta']);
  });

  it('a transaction compiles for its own handle and reads its own uncommitted rows', async () => {
    const q = preparedSelect((k, slug: string) => k.selectFrom('tags').select('slug').where('slug', '=', slug));
    expect(await q.execute(suite.db.primary, 'epsilon')).toEqual([]);
    await suite.db.primary
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('tags').values({ name: 'epsilon', slug: 'epsilon', created_at: new Date() }).execute();
        expect(slugs(await q.execute(trx, 'epsilon'))).toEqual(['epsilon']);
        throw new Error('roll back');
      })
      .catch((err: Error) => expect(err.message).toBe('roll back'));
    expect(await q.execute(suite.db.primary, 'epsilon')).toEqual([]);
  });

  it('follows a schema change made after it was first run (a migration adding a column)', async () => {
    const q = preparedSelect((k, slug: string) => k.selectFrom('tags').selectAll().where('slug', '=', slug));
    const [before] = await q.execute(suite.db.primary, 'alpha');
    expect(before).not.toHaveProperty('colour');
    await sql`alter table tags add column colour varchar(20) default 'red'`.execute(suite.db.primary);
    try {
      const [after] = await q.execute(suite.db.primary, 'alpha');
      expect(after).toMatchObject({ slug: 'alpha', colour: 'red' });
    } finally {
      await sql`alter table tags drop column colour`.execute(suite.db.primary);
    }
    const [again] = await q.execute(suite.db.primary, 'alpha');
    expect(again).not.toHaveProperty('colour');
  });

  it('refuses a write: plugins see a prepared query only once, when it is compiled', async () => {
    const q = preparedSelect(
      (k, name: string) =>
        k.insertInto('tags').values({ name, slug: name, created_at: new Date() }) as unknown as ReturnType<
          Kysely<DB>['selectFrom']
        >,
    );
    await expect(q.execute(suite.db.primary, 'zeta')).rejects.toThrow(/InsertQueryNode is no SELECT/);
    expect(await suite.db.primary.selectFrom('tags').select('slug').where('slug', '=', 'zeta').execute()).toEqual([]);
  });

  it('refuses a value that was computed with instead of used as a value', async () => {
    const q = preparedSelect((k, page: number) =>
      k
        .selectFrom('tags')
        .select('slug')
        .limit(10)
        .offset((page - 1) * 10),
    );
    await expect(q.execute(suite.db.primary, 2)).rejects.toThrow(/value 0 was not used as a value/);
  });

  it('SQLite answers on the connection directly, the servers through Kysely; both give the same rows', async () => {
    const q = preparedSelect((k, from: string) => k.selectFrom('tags').select('slug').where('slug', '>=', from));
    const executor = vi.spyOn(suite.db.primary, 'executeQuery');
    try {
      expect(slugs(await q.execute(suite.db.primary, 'd')).sort()).toEqual(['delta', 'gamma']);
      expect(executor).toHaveBeenCalledTimes(dialect === 'sqlite' ? 0 : 1);
    } finally {
      executor.mockRestore();
    }
  });

  it('a read on the primary never sees another transaction’s uncommitted rows (SQLite: it waits its turn)', async () => {
    const q = preparedSelect((k, slug: string) => k.selectFrom('tags').select('slug').where('slug', '=', slug));
    let read: Promise<Array<{ slug: string }>> | undefined;
    await suite.db.primary
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('tags').values({ name: 'eta', slug: 'eta', created_at: new Date() }).execute();
        // One connection on SQLite, held by this transaction: the read must not run on it now.
        read = q.execute(suite.db.primary, 'eta');
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      })
      .catch((err: Error) => expect(err.message).toBe('roll back'));
    expect(await read).toEqual([]);
  });

  it('reports each prepared read to the query observer, on the direct path too', async () => {
    const seen: string[] = [];
    const db = await createDatabase(testConfig({ DATABASE_URL: suite.testDb.url }), {
      onQuery: (kind, ms) => {
        expect(ms).toBeGreaterThanOrEqual(0);
        seen.push(kind);
      },
    });
    try {
      const q = preparedSelect((k, slug: string) => k.selectFrom('tags').select('slug').where('slug', '=', slug));
      expect(slugs(await q.execute(db.primary, 'beta'))).toEqual(['beta']);
      expect(seen).toEqual(['select']);
    } finally {
      await db.destroy();
    }
  });
});
