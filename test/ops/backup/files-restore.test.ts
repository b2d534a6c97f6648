import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { backupSandbox, jsonOf } from '../../support/backup-env.js';
import { createStorageFiles } from '../../../src/adapters/storage/storage-files.js';

/** Every file under storage/app and storage/logs with its content (what a files restore must reproduce). */
function tree(storage: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else out[relative(storage, path)] = readFileSync(path).toString('base64');
    }
  };
  for (const d of ['app', 'logs']) {
    try {
      walk(join(storage, d));
    } catch {
      // a folder that is not there has no files
    }
  }
  return out;
}

const staging = (storage: string) => readdirSync(storage).filter((e) => e.startsWith('.restore-'));

describe('backup:restore --only-files', () => {
  let tdb: TestDatabase;
  let box: ReturnType<typeof backupSandbox>;
  let setId: string;
  let backedUp: Record<string, string>;

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    box = backupSandbox(tdb.url);
    mkdirSync(join(box.storage, 'app', 'media', '2026'), { recursive: true });
    writeFileSync(join(box.storage, 'app', 'media', '2026', 'photo.jpg'), randomBytes(50_000));
    backedUp = tree(box.storage);
    setId = jsonOf<{ id: string }>(await box.run(['backup:run', '--only-files', '--json'])).id;
  });

  afterAll(async () => {
    await tdb?.drop();
    box?.remove();
  });

  it('makes storage/app and storage/logs equal to the backup: extras gone, changes undone', async () => {
    writeFileSync(join(box.storage, 'app', 'public', 'cover.txt'), 'changed after the backup\n');
    writeFileSync(join(box.storage, 'app', 'extra.txt'), 'not in the backup\n');
    mkdirSync(join(box.storage, 'app', 'new-folder'));
    writeFileSync(join(box.storage, 'app', 'new-folder', 'x.bin'), randomBytes(100));
    unlinkSync(join(box.storage, 'logs', 'inkstone.log'));
    writeFileSync(join(box.storage, 'logs', 'later.log'), 'written later\n');
    const changed = tree(box.storage);

    const res = await box.run(['backup:restore', setId, '--only-files', '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(tree(box.storage)).toEqual(backedUp);
    expect(staging(box.storage)).toEqual([]);

    // The extras were deleted only after the safety backup had them: restoring it brings them back.
    const { safetyBackupId } = JSON.parse(res.stdout) as { safetyBackupId: string };
    const undo = await box.run(['backup:restore', safetyBackupId, '--only-files']);
    expect(undo.code).toBe(0);
    expect(tree(box.storage)).toEqual(changed);
  });

  it('a corrupt files part is refused and the tree is left untouched', async () => {
    writeFileSync(join(box.storage, 'app', 'extra.txt'), 'still here\n');
    const before = tree(box.storage);
    const part = box.partFiles(setId).find((f) => f.startsWith('files'))!;
    box.flipByte(setId, part);
    try {
      const res = await box.run(['backup:restore', setId, '--only-files']);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(part);
      expect(tree(box.storage)).toEqual(before);
      expect(staging(box.storage)).toEqual([]);
    } finally {
      box.flipByte(setId, part);
    }
  });
});

describe('replacing the storage folders from a tar stream', () => {
  let source: string;
  let target: string;

  beforeAll(() => {
    source = mkdtempSync(join(tmpdir(), 'inkstone-files-src-'));
    target = mkdtempSync(join(tmpdir(), 'inkstone-files-dst-'));
    for (const [dir, n] of [
      [source, 40],
      [target, 3],
    ] as const) {
      mkdirSync(join(dir, 'app'), { recursive: true });
      mkdirSync(join(dir, 'logs'), { recursive: true });
      for (let i = 0; i < n; i++) writeFileSync(join(dir, 'app', `f${i}.bin`), randomBytes(20_000));
    }
  });

  afterAll(() => {
    rmSync(source, { recursive: true, force: true });
    rmSync(target, { recursive: true, force: true });
  });

  it('a stream that fails half-way leaves the live folders exactly as they were', async () => {
    const chunks: Buffer[] = [];
    for await (const c of createStorageFiles(source).pack()) chunks.push(c as Buffer);
    const whole = Buffer.concat(chunks);
    const before = tree(target);
    // Half of a good tar, then the error a failed decryption or decompression raises mid-stream.
    const broken = Readable.from(
      (async function* () {
        yield whole.subarray(0, Math.floor(whole.length / 2));
        await new Promise((r) => setTimeout(r, 10));
        throw new Error('unsupported state or unable to authenticate data');
      })(),
    );
    await expect(createStorageFiles(target).replaceWith(broken)).rejects.toThrow(/unable to authenticate/);
    expect(tree(target)).toEqual(before);
    expect(staging(target)).toEqual([]);

    await createStorageFiles(target).replaceWith(Readable.from([whole]));
    expect(tree(target)).toEqual(tree(source));
  });

  it('a tar entry outside app/ and logs/ is not written', async () => {
    const { Pack } = await import('tar');
    mkdirSync(join(source, 'secrets'), { recursive: true });
    writeFileSync(join(source, 'secrets', 'x.txt'), 'outside\n');
    const pack = new Pack({ cwd: source, portable: true });
    pack.add('app');
    pack.add('secrets');
    pack.end();
    await createStorageFiles(target).replaceWith(pack as unknown as Readable);
    expect(readdirSync(target).sort()).toEqual(['app']);
  });
});
