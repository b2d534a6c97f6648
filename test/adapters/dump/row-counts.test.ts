import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { openKysely } from '../../../src/adapters/db/database.js';
import { parseDatabaseUrl } from '../../../src/config/database-url.js';
import {
  mysqlDumpRowCounter,
  postgresDumpRowCounter,
  type DumpRowCounter,
} from '../../../src/adapters/dump/row-counts.js';
import { createTestDatabase, dialectAvailability, type TestDatabase } from '../../support/databases.js';

// Real dumps from the real tools (mariadb-dump, pg_dump) of tables whose text is built to fool a naive counter:
// "),(" and quotes inside strings, backslashes before quotes, escaped newlines, CJK, an empty table, and enough rows
// that the dump splits a table over several INSERT lines. The counter must give what COUNT(*) gives, whatever the
// chunking of the stream.
const TRICKY = [
  'plain',
  'a),(b',
  "it's ),( 'quoted'",
  'back\\slash\\',
  "ends with backslash quote \\'",
  'two\\\\',
  'line\nbreak\r\ttab',
  '数据库备份），（中文',
  'INSERT INTO `x` VALUES (1);',
  'COPY x FROM stdin;\n\\.\n',
  '',
];

async function count(counter: DumpRowCounter, dump: Buffer, chunkSize: number): Promise<Record<string, number>> {
  const done = new Promise<void>((resolve, reject) => {
    counter.stage.on('data', () => {});
    counter.stage.on('end', resolve);
    counter.stage.on('error', reject);
  });
  for (let i = 0; i < dump.length; i += chunkSize) counter.stage.write(dump.subarray(i, i + chunkSize));
  counter.stage.end();
  await done;
  return counter.tables();
}

for (const dialect of ['mysql', 'postgres'] as const) {
  describe.skipIf(!dialectAvailability(dialect).available)(`row counts from a ${dialect} dump`, () => {
    let testDb: TestDatabase;
    let dump: Buffer;
    const expected: Record<string, number> = {};
    afterAll(async () => {
      await testDb?.drop();
    });

    it('equal COUNT(*) for every table, for any chunking of the stream', async () => {
      testDb = await createTestDatabase(dialect);
      const target = parseDatabaseUrl('DATABASE_URL', testDb.url, process.cwd());
      const opened = await openKysely(target, 1);
      const { close } = opened;
      // Tables of this test only, not the app's schema.
      const db = opened.db as unknown as Kysely<Record<string, { id: number; body: string | null }>>;
      try {
        for (const t of ['notes', 'empty_one', 'user']) {
          await db.schema
            .createTable(t)
            .addColumn('id', 'integer', (c) => c.primaryKey())
            .addColumn('body', 'text')
            .execute();
        }
        const rows = Array.from({ length: 3000 }, (_, i) => ({
          id: i + 1,
          body: `${TRICKY[i % TRICKY.length]!} ${'x'.repeat(i % 3 === 0 ? 1500 : 10)}`,
        }));
        for (let i = 0; i < rows.length; i += 500)
          await db
            .insertInto('notes')
            .values(rows.slice(i, i + 500))
            .execute();
        await db
          .insertInto('user')
          .values(TRICKY.map((body, i) => ({ id: i + 1, body })))
          .execute();
        await db.insertInto('user').values({ id: 100, body: null }).execute();
        for (const t of ['notes', 'empty_one', 'user']) {
          const { rows: r } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)}`.execute(db);
          expected[t] = Number(r[0]!.n);
        }
      } finally {
        await close();
      }
      dump =
        dialect === 'mysql'
          ? execFileSync(
              'mariadb-dump',
              [
                '-h',
                '127.0.0.1',
                '-uroot',
                '--single-transaction',
                '--quick',
                '--hex-blob',
                '--default-character-set=utf8mb4',
                testDb.name,
              ],
              { maxBuffer: 1 << 28 },
            )
          : execFileSync(
              'pg_dump',
              ['-h', '127.0.0.1', '-U', 'postgres', '--no-owner', '--no-privileges', '--format=plain', testDb.name],
              { maxBuffer: 1 << 28 },
            );
      if (dialect === 'mysql')
        expect(dump.toString('latin1').match(/^INSERT INTO `notes`/gm)!.length).toBeGreaterThan(1);
      const make = dialect === 'mysql' ? mysqlDumpRowCounter : postgresDumpRowCounter;
      for (const size of [1 << 16, 4096, 997, 13, 1]) {
        expect(await count(make(), dump, size), `chunks of ${size}`).toEqual(expected);
      }
      expect(expected).toEqual({ notes: 3000, empty_one: 0, user: TRICKY.length + 1 });
    }, 60_000);
  });
}
