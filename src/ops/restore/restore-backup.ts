import type { Readable } from 'node:stream';
import { BackupError } from '../../domain/backup-errors.js';
import type { Destination } from '../../adapters/storage/destination.js';
import type { BackupDeps } from '../backup/deps.js';
import { readCatalog, type CatalogEntry } from '../backup/catalog.js';
import { chainOf, type BackupManifest, type PartInfo } from '../backup/manifest.js';
import { openPart, verifyPart } from '../backup/part-store.js';
import { runBackup } from '../backup/run-backup.js';

export interface RestoreOptions {
  only?: 'db' | 'files';
  /** Point in time (UTC) to stop binlog replay at; MySQL/MariaDB only. */
  toTime?: Date;
  /** Also restore the set's Redis snapshot (the blog's keys only) into the live Redis. */
  withRedis?: boolean;
  force?: boolean;
  onProgress?: (step: string) => void;
}

export interface TableCheck {
  table: string;
  expected: number | null;
  actual: number | null;
}

export interface RestoreResult {
  id: string;
  chain: string[];
  safetyBackupId: string | null;
  restored: {
    database: boolean;
    files: boolean;
    env: string | null;
    redis: { restored: number; removed: number } | null;
  };
  /**
   * Entries deleted from the shared (Redis) cache after the restore; null when there is none, or when it was restored
   * from the same set (`--with-redis` without `--to-time`: its entries describe the restored data).
   */
  cacheCleared: number | null;
  /** Set when the restore succeeded but the cache could not be emptied (run `inkstone cache:clear`). */
  cacheError?: string;
  tables: TableCheck[];
  /** False when a table's row count differs from the manifest's (not judged after a point-in-time restore). */
  countsMatch: boolean;
}

/**
 * Restores a set (and the chain it continues) only after every part checked out: password, presence and sha256.
 * A safety backup of the current state is taken before anything is overwritten.
 */
export async function restoreBackup(
  deps: BackupDeps,
  id: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const progress = options.onProgress ?? (() => {});
  if (deps.env === 'production' && !options.force) {
    throw new BackupError('production_guard', 'refusing to restore in production without --force');
  }
  const catalog = await readCatalog(deps);
  const byId = new Map(catalog.map((e) => [e.manifest.id, e.manifest]));
  const entries = new Map(catalog.map((e) => [e.manifest.id, e]));
  let chain: BackupManifest[];
  try {
    chain = chainOf(id, byId);
  } catch (err) {
    throw new BackupError('chain_incomplete', (err as Error).message);
  }
  const target = chain.at(-1)!;
  if (target.dialect !== deps.database.dialect && options.only !== 'files') {
    throw new BackupError(
      'dialect_mismatch',
      `backup ${id} is of ${target.dialect}, this app runs ${deps.database.dialect}`,
    );
  }
  if (options.toTime && target.dialect !== 'mysql') {
    throw new BackupError('pitr_unsupported', '--to-time needs a MySQL/MariaDB backup with binary logs');
  }
  const wantDb = options.only !== 'files' && target.contents.database;
  const wantFiles = options.only !== 'db' && chain[0]!.contents.files;
  if (options.only === 'db' && !target.contents.database)
    throw new BackupError('nothing_to_restore', `backup ${id} holds no database`);
  if (options.only === 'files' && !chain[0]!.contents.files)
    throw new BackupError('nothing_to_restore', `backup ${id} holds no files`);
  const redisPart = target.parts.find((p) => p.kind === 'redis');
  const wantRedis = options.withRedis === true;
  if (wantRedis && !redisPart) {
    throw new BackupError('nothing_to_restore', `backup ${id} holds no Redis snapshot (made without --with-redis)`);
  }
  if (wantRedis && !deps.redis) throw new BackupError('redis_unconfigured', '--with-redis needs REDIS_URL');
  if (wantRedis) await deps.redis!.canRestore();

  progress('password');
  const keys = new Map<string, Buffer | undefined>();
  for (const m of chain) {
    keys.set(m.id, m.encryption ? await deps.codec.keyFor(deps.config.password, m.encryption, m.id) : undefined);
  }
  const verifyAll = async () => {
    for (const m of chain) {
      const dest = sourceOf(entries.get(m.id)!);
      for (const part of m.parts) {
        const wanted = isDbPart(part) ? wantDb : part.kind === 'redis' ? wantRedis : wantFiles;
        if (wanted) await verifyPart(dest, m.id, part, false);
      }
    }
  };

  // Checking the parts and saving the current state both only read what is live, so they run side by side;
  // nothing is overwritten until both are done, and a failed check removes the safety set it no longer needs.
  progress('verify + safety backup');
  // After a disk loss there is no SQLite file to save; the safety backup then covers what does exist.
  const dbPresent = deps.database.dialect !== 'sqlite' || (await deps.database.tools.exists());
  const saveDb = wantDb && dbPresent;
  const safetyRun =
    saveDb || wantFiles
      ? runBackup(deps, {
          only: saveDb && wantFiles ? undefined : saveDb ? 'db' : 'files',
          destinations: deps.destinations.some((d) => d.name === 'local') ? ['local'] : undefined,
          withRedis: wantRedis,
          safety: true,
        })
      : Promise.resolve(undefined);
  const [verified, saved] = await Promise.allSettled([verifyAll(), safetyRun]);
  if (verified.status === 'rejected') {
    if (saved.status === 'fulfilled' && saved.value) {
      const id = saved.value.manifest.id;
      for (const d of deps.destinations) if (saved.value.manifest.destinations.includes(d.name)) await d.remove(id);
    }
    throw verified.reason;
  }
  if (saved.status === 'rejected') throw saved.reason;
  const safety = saved.value;

  const open = (m: BackupManifest, part: PartInfo): Promise<Readable> =>
    openPart(deps, sourceOf(entries.get(m.id)!), m.id, part, keys.get(m.id));
  const restored: RestoreResult['restored'] = { database: false, files: false, env: null, redis: null };

  try {
    if (wantDb) {
      progress('database');
      const db = deps.database;
      const full = chain[0]!;
      const fullPart = full.parts.find((p) => p.kind === 'database');
      if (!fullPart) throw new BackupError('nothing_to_restore', `backup ${full.id} holds no database dump`);
      if (db.dialect === 'sqlite') {
        const deltas = chain.slice(1).map(
          (m) => () =>
            open(
              m,
              m.parts.find((p) => p.kind === 'pages')!,
            ),
        );
        await db.tools.restore(await open(full, fullPart), deltas);
      } else if (db.dialect === 'mysql') {
        await db.tools.wipe();
        await db.tools.load(await open(full, fullPart));
        await replayBinlogs(deps, chain, open, options.toTime);
      } else {
        await db.tools.wipe();
        await db.tools.load(await open(full, fullPart));
      }
      restored.database = true;
    }
    if (wantFiles) {
      progress('files');
      const base = chain[0]!;
      const files = base.parts.find((p) => p.kind === 'files');
      if (files) {
        await deps.files.replaceWith(await open(base, files));
        restored.files = true;
      }
      const env = base.parts.find((p) => p.kind === 'env');
      if (env) restored.env = await deps.envFile.writeRestored(await open(base, env));
    }
    if (wantRedis && redisPart && deps.redis) {
      progress('redis');
      restored.redis = await deps.redis.restore(await open(target, redisPart));
    }
  } catch (err) {
    // Past this point the live data may be half replaced: say where the state before the restore is kept.
    const message = err instanceof Error ? err.message : String(err);
    throw new BackupError(
      'restore_failed',
      `restore failed part-way (${message}); the state before it is in safety backup ${safety?.manifest.id ?? '(none taken)'}`,
    );
  }

  // Cached pages and tag names describe the data before the restore, and would be served until they expire. A Redis
  // restored from this very set holds the cache of that moment, which matches (unless replay stopped earlier).
  let cacheCleared: number | null = null;
  let cacheError: string | undefined;
  const cacheMatches = restored.redis !== null && !options.toTime;
  if (deps.sharedCache && (restored.database || restored.files) && !cacheMatches) {
    progress('cache');
    try {
      cacheCleared = await deps.sharedCache.clear();
    } catch (err) {
      // Reported in the result, not logged: the command prints it once, with what to run.
      cacheError = err instanceof Error ? err.message : String(err);
    }
  }

  const tables: TableCheck[] = [];
  let countsMatch = true;
  if (wantDb) {
    const now = (await deps.inspect()).tables;
    const names = [...new Set([...Object.keys(target.tables), ...Object.keys(now)])].sort();
    for (const t of names) {
      const check = { table: t, expected: target.tables[t] ?? null, actual: now[t] ?? null };
      tables.push(check);
      if (check.expected !== check.actual) countsMatch = false;
    }
    if (options.toTime) countsMatch = true;
  }
  return {
    id,
    chain: chain.map((m) => m.id),
    safetyBackupId: safety?.manifest.id ?? null,
    restored,
    cacheCleared,
    ...(cacheError === undefined ? {} : { cacheError }),
    tables,
    countsMatch,
  };
}

async function replayBinlogs(
  deps: BackupDeps,
  chain: BackupManifest[],
  open: (m: BackupManifest, p: PartInfo) => Promise<Readable>,
  toTime: Date | undefined,
): Promise<void> {
  if (deps.database.dialect !== 'mysql') return;
  const incrementals = chain.slice(1);
  if (incrementals.length === 0) {
    if (toTime)
      throw new BackupError(
        'pitr_no_binlogs',
        'no incremental backup after the full one: nothing to replay up to --to-time',
      );
    return;
  }
  const staged = await deps.binlogStage.create();
  try {
    const files: string[] = [];
    let startPos = 0;
    for (const m of incrementals) {
      if (m.coordinates.type !== 'binlog') continue;
      const logs = m.parts.filter((p) => p.kind === 'binlog');
      if (files.length === 0) startPos = m.coordinates.start.pos;
      for (const p of logs) files.push(await staged.write(p.name, await open(m, p)));
      // Each incremental continues where the previous one ended: a fresh file after FLUSH BINARY LOGS.
    }
    await deps.database.tools.replay(files, startPos, toTime);
  } finally {
    await staged.cleanup();
  }
}

function isDbPart(p: PartInfo): boolean {
  return p.kind === 'database' || p.kind === 'pages' || p.kind === 'page-hashes' || p.kind === 'binlog';
}

/** Prefer the local copy (fast, no transfer) when a set is on several destinations. */
function sourceOf(entry: CatalogEntry): Destination {
  return entry.on.find((d) => d.name === 'local') ?? entry.on[0]!;
}
