import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { createSqliteDialect } from '../../../src/adapters/db/dialects/sqlite.js';

// Rows of statements that name their columns are built from raw arrays (src/adapters/db/dialects/sqlite.ts):
// they must look exactly like better-sqlite3's own row objects, dates included, before and after schema changes.
describe('SQLite result rows', () => {
  let dir: string;
  let db: Kysely<Record<string, Record<string, unknown>>>;
  let close: () => void;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'inkstone-sqlite-rows-'));
    const made = await createSqliteDialect(join(dir, 'rows.sqlite'));
    close = made.close;
    db = new Kysely({ dialect: made.dialect });
    await sql`create table notes (id integer primary key, title text, created_at text, done_at text, n real)`.execute(
      db,
    );
    await sql`insert into notes values (1, 'one', '2026-11-26T08:00:00.000Z', null, 1.5),
      (2, 'two', '2026-11-26T09:30:00Z', 'not a date', null)`.execute(db);
  });
  afterAll(async () => {
    await db.destroy();
    close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('named columns come back as objects by name, ISO text in *_at columns as Date, the rest untouched', async () => {
    const rows = await db
      .selectFrom('notes')
      .select(['id', 'title', 'created_at', 'done_at', 'n'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 1, title: 'one', created_at: new Date('2026-11-26T08:00:00.000Z'), done_at: null, n: 1.5 },
      { id: 2, title: 'two', created_at: new Date('2026-11-26T09:30:00Z'), done_at: 'not a date', n: null },
    ]);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'title', 'created_at', 'done_at', 'n']);
  });

  it('of two columns with one name the later wins, as in better-sqlite3, and aliases are kept', async () => {
    const { rows } = await sql<Record<string, unknown>>`select id, title, title as id, n as "odd name" from notes
      where id = ${1}`.execute(db);
    expect(rows).toEqual([{ id: 'one', title: 'one', 'odd name': 1.5 }]);
  });

  it('a statement run again after a schema change sees the new columns (select * and named columns)', async () => {
    const named = () => db.selectFrom('notes').select(['id', 'title']).where('id', '=', 1).execute();
    const star = () => db.selectFrom('notes').selectAll().where('id', '=', 1).execute();
    expect(await named()).toEqual([{ id: 1, title: 'one' }]);
    expect(Object.keys((await star())[0]!)).not.toContain('colour');
    await sql`alter table notes add column colour text default 'red'`.execute(db);
    expect(await named()).toEqual([{ id: 1, title: 'one' }]);
    expect((await star())[0]).toMatchObject({ id: 1, colour: 'red', created_at: expect.any(Date) });
    const counted = await db
      .selectFrom('notes')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(counted).toEqual({ n: 2 });
  });

  it('writes with RETURNING give rows, and plain writes give their result', async () => {
    const inserted = await db
      .insertInto('notes')
      .values({ id: 3, title: 'three', created_at: '2026-11-26T10:00:00.000Z' })
      .returning(['id', 'created_at'])
      .execute();
    expect(inserted).toEqual([{ id: 3, created_at: new Date('2026-11-26T10:00:00.000Z') }]);
    const updated = await db.updateTable('notes').set({ title: 'trois' }).where('id', '=', 3).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
  });
});
