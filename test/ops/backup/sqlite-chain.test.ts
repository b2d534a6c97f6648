import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { connect, seedBlog, tableHashes } from '../../support/blog-data.js';
import { backupSandbox, jsonOf } from '../../support/backup-env.js';

interface RunJson {
  id: string;
  kind: string;
  baseId: string | null;
  parentId: string | null;
}

/** Schema and rows: what "the same database" means for the comparison. */
async function contentOf(url: string): Promise<unknown> {
  const { db, close } = await connect(url);
  try {
    const schema = await sql<{
      sql: string;
    }>`select sql from sqlite_master where sql is not null order by name`.execute(db);
    return { schema: schema.rows.map((r) => r.sql), rows: await tableHashes(db) };
  } finally {
    await close();
  }
}

async function write(url: string, step: number): Promise<void> {
  const { db, close } = await connect(url);
  await db
    .updateTable('articles')
    .set({ title: `step ${step}` })
    .where('id', '=', step)
    .execute();
  await db.deleteFrom('comments').where('id', '=', step).execute();
  await db
    .insertInto('tags')
    .values({ name: `t${step}`, slug: `t${step}`, created_at: new Date() })
    .execute();
  await close();
}

describe('SQLite incremental backups (changed pages)', () => {
  let tdb: TestDatabase;
  let box: ReturnType<typeof backupSandbox>;
  const sets: RunJson[] = [];
  const states: unknown[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    box = backupSandbox(tdb.url);
    expect((await box.run(['migrate'])).code).toBe(0);
    const { db, close } = await connect(tdb.url);
    await seedBlog(db, 400);
    await close();
    sets.push(jsonOf<RunJson>(await box.run(['backup:run', '--only-db', '--json'])));
    states.push(await contentOf(tdb.url));
    for (let step = 1; step <= 3; step++) {
      await write(tdb.url, step);
      sets.push(jsonOf<RunJson>(await box.run(['backup:run', '--incremental', '--json'])));
      states.push(await contentOf(tdb.url));
    }
  });

  afterAll(async () => {
    await tdb?.drop();
    box?.remove();
  });

  it('makes a chain: each incremental names the full as its base and stores only changed pages', async () => {
    expect(sets.map((s) => s.kind)).toEqual(['full', 'incremental', 'incremental', 'incremental']);
    for (const s of sets.slice(1)) expect(s.baseId).toBe(sets[0]!.id);
    // Each continues from the one before, even when two runs fall in the same second.
    expect(sets.map((s) => s.parentId)).toEqual([null, sets[0]!.id, sets[1]!.id, sets[2]!.id]);
    const list = jsonOf<{ backups: { id: string; size: number }[] }>(await box.run(['backup:list', '--json']));
    const size = (id: string) => list.backups.find((b) => b.id === id)!.size;
    for (const s of sets.slice(1)) expect(size(s.id)).toBeLessThan(size(sets[0]!.id) / 4);
  });

  it('restoring the third incremental gives the source as it was then', async () => {
    await write(tdb.url, 9);
    const res = await box.run(['backup:restore', sets[3]!.id, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(await contentOf(tdb.url)).toEqual(states[3]);
  });

  it('restoring a middle link stops there', async () => {
    const res = await box.run(['backup:restore', sets[2]!.id, '--only-db']);
    expect(res.code, res.stderr).toBe(0);
    expect(await contentOf(tdb.url)).toEqual(states[2]);
    expect(states[2]).not.toEqual(states[3]);
  });

  it('restores after the database file is lost, with no database to save first', async () => {
    rmSync(tdb.name, { force: true });
    rmSync(`${tdb.name}-wal`, { force: true });
    rmSync(`${tdb.name}-shm`, { force: true });
    const res = await box.run(['backup:restore', sets[3]!.id, '--only-db', '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ safetyBackupId: null, countsMatch: true });
    expect(await contentOf(tdb.url)).toEqual(states[3]);
  });

  it('refuses a chain with a missing link', async () => {
    rmSync(join(box.backupsDir, sets[1]!.id), { recursive: true });
    const res = await box.run(['backup:restore', sets[3]!.id]);
    expect(res.code, res.stdout).toBe(1);
    expect(res.stderr).toContain(`misses ${sets[1]!.id}`);
  });
});
