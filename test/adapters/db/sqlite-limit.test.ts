import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { createSqliteDialect } from '../../../src/adapters/db/dialects/sqlite.js';

// SQLite compiles a statement again on every run when its LIMIT is a bare bound parameter (it reads the value while
// planning), so the SQLite dialect writes `limit +?` (src/adapters/db/dialects/sqlite.ts). The limit must still
// limit: every value, with and without an offset, bound or written as an expression.
describe('LIMIT on SQLite', () => {
  let dir: string;
  let db: Kysely<{ n: { i: number } }>;
  let close: () => void;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'inkstone-sqlite-limit-'));
    const made = await createSqliteDialect(join(dir, 'limit.sqlite'));
    close = made.close;
    db = new Kysely({ dialect: made.dialect });
    await sql`create table n (i integer primary key)`.execute(db);
    await db
      .insertInto('n')
      .values(Array.from({ length: 30 }, (_, k) => ({ i: k + 1 })))
      .execute();
  });
  afterAll(async () => {
    await db.destroy();
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  const page = (limit: number, offset?: number) => {
    const q = db.selectFrom('n').select('i').orderBy('i').limit(limit);
    return offset === undefined ? q : q.offset(offset);
  };

  it('is written as an expression of the bound value', () => {
    const { sql: text, parameters } = page(15, 30).compile();
    expect(text).toMatch(/ limit \+\? offset \?$/);
    expect(parameters).toEqual([15, 30]);
  });

  it('limits as before: 0, 1, some, all, more than there are, with offsets, bound again and again', async () => {
    for (const [limit, offset] of [
      [0, undefined],
      [1, undefined],
      [15, undefined],
      [30, undefined],
      [100, undefined],
      [15, 0],
      [15, 15],
      [15, 25],
      [15, 30],
      [1, 29],
      [7, 3],
    ] as const) {
      const rows = await page(limit, offset).execute();
      const from = (offset ?? 0) + 1;
      const expected = Array.from({ length: Math.max(0, Math.min(limit, 31 - from)) }, (_, k) => from + k);
      expect(
        rows.map((r) => r.i),
        `limit ${limit} offset ${offset}`,
      ).toEqual(expected);
    }
    // A limit made of an expression keeps its own text after the plus.
    const computed = await db
      .selectFrom('n')
      .select('i')
      .orderBy('i')
      .limit(sql<number>`(select 2)`)
      .execute();
    expect(computed.map((r) => r.i)).toEqual([1, 2]);
  });
});
