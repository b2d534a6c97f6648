import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { connect, tableHashes } from '../../support/blog-data.js';
import { backupSandbox, jsonOf } from '../../support/backup-env.js';

interface Listed {
  id: string;
  destinations: string[];
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

// s3rver is a real S3 API server on loopback (files on disk behind it): the same SDK calls, multipart included.
describe('S3 destination (s3rver)', () => {
  let s3: S3rver;
  let s3dir: string;
  let tdb: TestDatabase;
  let box: ReturnType<typeof backupSandbox>;
  let original: Record<string, string>;
  const bigFile = () => join(box.storage, 'app', 'public', 'big.bin');

  beforeAll(async () => {
    s3dir = mkdtempSync(join(tmpdir(), 'inkstone-s3rver-'));
    s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir, configureBuckets: [{ name: 'backups', configs: [] }] });
    const { port } = (await s3.run()) as { port: number };
    tdb = await createTestDatabase('sqlite');
    box = backupSandbox(tdb.url, {
      BACKUP_DESTINATIONS: 'local,s3',
      BACKUP_S3_BUCKET: 'backups',
      BACKUP_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      BACKUP_S3_ACCESS_KEY_ID: 'S3RVER',
      BACKUP_S3_SECRET_ACCESS_KEY: 'S3RVER',
      BACKUP_S3_FORCE_PATH_STYLE: 'true',
    });
    original = await box.migrateAndSeed();
    // Random bytes do not compress: the files part stays above 20 MB and goes up in several parts.
    writeFileSync(bigFile(), randomBytes(22 * 1024 * 1024));
  });

  afterAll(async () => {
    await s3?.close();
    rmSync(s3dir, { recursive: true, force: true });
    await tdb?.drop();
    box?.remove();
  });

  it('writes one set to both destinations, and restores it from S3 alone', async () => {
    const bigHash = sha(bigFile());
    const run = jsonOf<{ id: string; destinations: string[]; parts: { name: string; size: number }[] }>(
      await box.run(['backup:run', '--json']),
    );
    expect(run.destinations).toEqual(['local', 's3']);
    expect(run.parts.find((p) => p.name.startsWith('files'))!.size).toBeGreaterThan(20 * 1024 * 1024);
    const listed = jsonOf<{ backups: Listed[] }>(await box.run(['backup:list', '--json'])).backups;
    expect(listed.find((b) => b.id === run.id)?.destinations).toEqual(['local', 's3']);

    rmSync(join(box.backupsDir, run.id), { recursive: true });
    unlinkSync(bigFile());
    const { db, close } = await connect(tdb.url);
    await db.deleteFrom('comments').execute();
    await close();

    const res = await box.run(['backup:restore', run.id, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(sha(bigFile())).toBe(bigHash);
    const after = await connect(tdb.url);
    expect(await tableHashes(after.db)).toEqual(original);
    await after.close();
  });

  it('--destination=s3 writes to S3 only', async () => {
    const run = jsonOf<{ id: string; destinations: string[] }>(
      await box.run(['backup:run', '--only-db', '--destination=s3', '--json']),
    );
    expect(run.destinations).toEqual(['s3']);
    const listed = jsonOf<{ backups: Listed[] }>(await box.run(['backup:list', '--json'])).backups;
    expect(listed.find((b) => b.id === run.id)?.destinations).toEqual(['s3']);
  });

  it('a failing destination fails the run, unless continue_on_failure keeps the others', async () => {
    const broken = { BACKUP_S3_BUCKET: 'no-such-bucket' };
    const before = jsonOf<{ backups: Listed[] }>(await box.run(['backup:list', '--json'])).backups.length;
    const failed = await box.run(['backup:run', '--only-db'], broken);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/destination s3 failed/);
    expect(jsonOf<{ backups: Listed[] }>(await box.run(['backup:list', '--json'])).backups).toHaveLength(before);

    const kept = await box.run(['backup:run', '--only-db', '--json'], { ...broken, BACKUP_CONTINUE_ON_FAILURE: 'true' });
    const out = jsonOf<{ destinations: string[]; failedDestinations: { name: string }[] }>(kept);
    expect(out.destinations).toEqual(['local']);
    expect(out.failedDestinations.map((f) => f.name)).toEqual(['s3']);
  });
});
