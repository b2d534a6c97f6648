import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, tableHashes } from '../../support/blog-data.js';
import { backupSandbox, jsonOf } from '../../support/backup-env.js';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/private-mariadb.js';

const sleepUntil = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now())));

async function addTag(url: string, name: string): Promise<void> {
  const { db, close } = await connect(url);
  await db.insertInto('tags').values({ name, slug: name, created_at: new Date() }).execute();
  await close();
}

async function tagNames(url: string): Promise<string[]> {
  const { db, close } = await connect(url);
  const rows = await db.selectFrom('tags').select('name').orderBy('name').execute();
  await close();
  return rows.map((r) => r.name);
}

describe('MariaDB with binary logging: incremental and point-in-time restore', () => {
  let server: PrivateMariadb;
  let box: ReturnType<typeof backupSandbox>;
  let url: string;
  let seeded: Record<string, string>;
  let incId: string;
  let toTime: string;

  beforeAll(async () => {
    server = await startPrivateMariadb();
    execFileSync('mariadb', [`--socket=${server.socket}`, '-uroot', '-e', 'create database pitr']);
    url = server.urlFor('pitr');
    box = backupSandbox(url);
    await box.migrateAndSeed();
    jsonOf(await box.run(['backup:run', '--only-db', '--json']));
    const s = await connect(url);
    seeded = await tableHashes(s.db);
    await s.close();

    // t1, then t2 in a later second; the restore point is the start of the next second; t3 after it.
    await addTag(url, 'w1');
    // A first incremental between t1 and t2, so the restore replays a chain of two.
    jsonOf(await box.run(['backup:run', '--incremental', '--json']));
    await sleepUntil(Math.ceil(Date.now() / 1000) * 1000 + 50);
    await addTag(url, 'w2');
    const cut = Math.ceil(Date.now() / 1000) * 1000;
    toTime = new Date(cut).toISOString().slice(0, 19).replace('T', ' ');
    await sleepUntil(cut + 50);
    await addTag(url, 'w3');
    incId = jsonOf<{ id: string; kind: string }>(await box.run(['backup:run', '--incremental', '--json'])).id;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    box?.remove();
  });

  it('an incremental holds the binary logs since the full backup', async () => {
    const list = jsonOf<{ backups: { id: string; kind: string; baseId: string | null }[] }>(
      await box.run(['backup:list', '--json']),
    ).backups;
    expect(list.map((b) => b.kind)).toEqual(['full', 'incremental', 'incremental']);
    expect(list[1]!.baseId).toBe(list[0]!.id);
    expect(list[2]!.baseId).toBe(list[0]!.id);
  });

  it('--to-time between t2 and t3 brings back exactly the t1 and t2 writes', async () => {
    const { db, close } = await connect(url);
    await db.deleteFrom('article_tags').execute();
    await db.deleteFrom('tags').execute();
    await close();
    const res = await box.run(['backup:restore', incId, `--to-time=${toTime}`, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(await tagNames(url)).toEqual(['db', 'ops', 'ts', 'w1', 'w2']);
    const after = await connect(url);
    const hashes = await tableHashes(after.db);
    await after.close();
    for (const t of ['articles', 'users', 'comments', 'article_tags']) expect(hashes[t]).toBe(seeded[t]);
  });

  it('without --to-time the whole chain is replayed and the row counts match the manifest', async () => {
    const res = await box.run(['backup:restore', incId, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ countsMatch: true });
    expect(await tagNames(url)).toEqual(['db', 'ops', 'ts', 'w1', 'w2', 'w3']);
  });
});
