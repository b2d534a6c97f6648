import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInkstone, type CliRun } from './cli.js';
import { connect, seedBlog, tableHashes } from './blog-data.js';

/** A private storage dir and env file for one suite's backups; `run` is the CLI with that environment. */
export function backupSandbox(databaseUrl: string, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-backup-'));
  const storage = join(dir, 'storage');
  mkdirSync(join(storage, 'app', 'public'), { recursive: true });
  mkdirSync(join(storage, 'logs'), { recursive: true });
  writeFileSync(join(storage, 'app', 'public', 'cover.txt'), 'a cover image stand-in\n');
  writeFileSync(join(storage, 'logs', 'inkstone.log'), '{"msg":"hello"}\n');
  writeFileSync(join(dir, '.env'), 'APP_KEY=secret-secret-secret-secret-1234\n');
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    STORAGE_DIR: storage,
    BACKUP_ENV_FILE: join(dir, '.env'),
    BACKUP_PASSWORD: 'correct horse battery staple',
    ...extra,
  };
  return {
    dir,
    storage,
    backupsDir: join(storage, 'backups'),
    env,
    run: (args: string[], more: Record<string, string | undefined> = {}): Promise<CliRun> =>
      runInkstone(args, { env: { ...env, ...more } }),
    /** Flips one byte in the middle of a stored part file. */
    flipByte(setId: string, file: string): void {
      const path = join(storage, 'backups', setId, file);
      const bytes = readFileSync(path);
      const at = Math.floor(bytes.length / 2);
      bytes[at] = bytes[at]! ^ 0xff;
      writeFileSync(path, bytes);
    },
    partFiles(setId: string): string[] {
      return readdirSync(join(storage, 'backups', setId)).filter((f) => f !== 'manifest.json');
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
    /**
     * Migrates the sandbox's database through the CLI (failing the test when that fails) and fills it with
     * seedBlog's rows; returns the tables' hashes as seeded.
     */
    async migrateAndSeed(): Promise<Record<string, string>> {
      const migrated = await runInkstone(['migrate'], { env });
      if (migrated.code !== 0) throw new Error(`migrate failed (${migrated.code}): ${migrated.stderr}`);
      const { db, close } = await connect(databaseUrl);
      try {
        await seedBlog(db);
        return await tableHashes(db);
      } finally {
        await close();
      }
    },
  };
}

export function jsonOf<T>(run: CliRun): T {
  if (run.code !== 0) throw new Error(`command failed (${run.code}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
