import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { useSuiteDatabase } from '../../support/suite-database.js';
import { articleRow, insertAuthors } from '../../support/blog-data.js';
import { optimize } from '../../../src/adapters/db/maintenance.js';
import { migrations } from '../../../src/adapters/db/migrations/index.js';

// STAT4 samples make SQLite compile the hot list statements again on every run (src/adapters/db/maintenance.ts,
// clearSqliteSamples): db:optimize keeps ANALYZE's row counts (sqlite_stat1) and clears the samples, and migration
// 0015 clears the samples an earlier db:optimize left.
describe('SQLite planner statistics', () => {
  const suite = useSuiteDatabase('sqlite', { migrate: true });
  const count = async (table: string) =>
    (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(suite.db.primary)).rows[0]!.n;

  beforeAll(async () => {
    const db = suite.db.primary;
    const now = new Date('2026-11-20T10:00:00Z');
    await insertAuthors(db, 2, now);
    await db
      .insertInto('articles')
      .values(
        Array.from({ length: 200 }, (_, i) =>
          articleRow(now, { slug: `a-${i}`, published_at: new Date(now.getTime() - i * 60_000) }),
        ),
      )
      .execute();
  });

  it('db:optimize keeps the row counts and no samples', async () => {
    // Plain ANALYZE, as before: samples for every index with rows.
    await sql`analyze`.execute(suite.db.primary);
    expect(await count('sqlite_stat4')).toBeGreaterThan(0);
    expect(await optimize(suite.db.primary, 'sqlite')).toContain('DELETE FROM sqlite_stat4');
    expect(await count('sqlite_stat1')).toBeGreaterThan(0);
    expect(await count('sqlite_stat4')).toBe(0);
  });

  it('migration 0015 clears the samples an earlier ANALYZE left, and does nothing where none ran', async () => {
    const clear = migrations.find((m) => m.name === '0015_clear_sqlite_stat_samples')!;
    await sql`analyze`.execute(suite.db.primary);
    expect(await count('sqlite_stat4')).toBeGreaterThan(0);
    await clear.up(suite.db.primary, 'sqlite');
    expect(await count('sqlite_stat4')).toBe(0);
    expect(await count('sqlite_stat1')).toBeGreaterThan(0);
    await clear.down(suite.db.primary, 'sqlite');
    expect(await count('sqlite_stat1')).toBeGreaterThan(0);
  });
});

describe('migration 0015 on a SQLite database that was never analysed', () => {
  const suite = useSuiteDatabase('sqlite', { migrate: true });

  it('applies without statistics tables, and leaves none', async () => {
    const tables = await sql<{ name: string }>`select name from sqlite_master where name like 'sqlite_stat%'`.execute(
      suite.db.primary,
    );
    expect(tables.rows).toEqual([]);
  });
});
