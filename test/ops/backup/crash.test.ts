import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { backupSandbox, jsonOf } from '../../support/backup-env.js';

const MAIN = join(import.meta.dirname, '../../../src/cli/main.ts');

describe('a backup:run killed with SIGKILL', () => {
  let tdb: TestDatabase;
  let box: ReturnType<typeof backupSandbox>;

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    box = backupSandbox(tdb.url);
    await box.migrateAndSeed();
    // Incompressible bytes, so the files part takes long enough to be killed in the middle.
    writeFileSync(join(box.storage, 'app', 'video.bin'), randomBytes(80 * 1024 * 1024));
    jsonOf(await box.run(['backup:run', '--only-db', '--json']));
  });

  afterAll(async () => {
    await tdb?.drop();
    box?.remove();
  });

  it('leaves backup:list unchanged, and the next run succeeds and removes the leftovers', async () => {
    const listed = async () =>
      jsonOf<{ backups: { id: string; size: number }[] }>(await box.run(['backup:list', '--json'])).backups.map(
        (b) => `${b.id} ${b.size}`,
      );
    const before = await listed();
    // The real program in a process of its own, so the kill is a real one.
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'backup:run'], {
      env: { ...process.env, ...box.env, APP_ENV: 'test', LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
    const partial = () => readdirSync(box.backupsDir).find((e) => e.startsWith('.partial-'));
    const deadline = Date.now() + 20_000;
    while (!existsSync(join(box.backupsDir, partial() ?? '-', 'files.tar.zst.enc')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const staged = partial();
    expect(staged, 'the run should have started staging').toBeDefined();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    expect(await listed()).toEqual(before);
    expect(existsSync(join(box.backupsDir, staged!))).toBe(true);

    const next = jsonOf<{ id: string; cleanedLeftovers: string[] }>(
      await box.run(['backup:run', '--only-db', '--json']),
    );
    expect(next.cleanedLeftovers).toEqual([staged!.slice('.partial-'.length)]);
    // Only the lock file stays (it is never deleted: see host-lock.ts); the killed run's holder note is replaced.
    expect(readdirSync(box.backupsDir).filter((e) => e.startsWith('.'))).toEqual(['.lock']);
    // Nor is the killed run's SQLite snapshot left beside the database.
    expect(readdirSync(dirname(tdb.name)).filter((e) => e.endsWith('.tmp'))).toEqual([]);
    const after = jsonOf<{ backups: { id: string }[] }>(await box.run(['backup:list', '--json']));
    expect(after.backups).toHaveLength(2);
  });
});
