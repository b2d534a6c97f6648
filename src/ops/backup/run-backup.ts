import { Readable } from 'node:stream';
import { BackupError } from '../../domain/backup-errors.js';
import type { BackupDeps } from './deps.js';
import type { Destination } from '../../adapters/storage/destination.js';
import { newSetId, type BackupManifest, type Coordinates, type PartInfo } from './manifest.js';
import { storePart, verifyPart, type LiveDestinations } from './part-store.js';
import { captureDatabase, findParent, type StorePart } from './capture-database.js';

export interface RunBackupOptions {
  only?: 'db' | 'files';
  incremental?: boolean;
  /** Subset of the configured destinations by name; default all configured. */
  destinations?: readonly string[];
  withRedis?: boolean;
  safety?: boolean;
  onProgress?: (step: string) => void;
}

export interface RunBackupResult {
  manifest: BackupManifest;
  failedDestinations: { name: string; error: string }[];
  cleanedLeftovers: string[];
}

/** Makes one backup set: stage every part on every destination, verify, then commit the manifest. */
export async function runBackup(deps: BackupDeps, options: RunBackupOptions = {}): Promise<RunBackupResult> {
  const started = deps.now();
  const t0 = performance.now();
  const progress = options.onProgress ?? (() => {});
  const wanted = options.destinations ?? deps.config.destinations;
  const chosen = deps.destinations.filter((d) => wanted.includes(d.name));
  if (chosen.length === 0)
    throw new BackupError('no_destination', `no configured destination among: ${wanted.join(', ')}`);
  if (options.incremental && options.only === 'files') {
    throw new BackupError('bad_options', 'incremental backups are of the database: drop --only-files');
  }
  if (options.incremental && deps.database.dialect === 'postgres') {
    throw new BackupError(
      'incremental_unsupported',
      'PostgreSQL backups are full only for now: run backup:run without --incremental',
    );
  }
  const id = newSetId(started, deps.codec.randomBytes(2).toString('hex'));
  const withDb = options.only !== 'files';
  const password = deps.config.password;
  // Key derivation (scrypt, thread pool) and the row counts run beside other work rather than before it: they
  // would otherwise add a fixed half second or so to every backup.
  const keyPromise = password === undefined ? Promise.resolve(undefined) : deps.codec.newKey(password);
  keyPromise.catch(() => {});
  const cleaned: string[] = [];
  const dests: LiveDestinations = { live: [...chosen], failed: [] };
  for (const d of chosen) {
    await onDestination(deps, dests, d, async () => {
      cleaned.push(...(await d.cleanLeftovers()));
    });
  }
  const parts: PartInfo[] = [];
  const notes: string[] = [];
  const withFiles = options.only !== 'db' && !options.incremental;
  let coordinates: Coordinates = { type: 'none' };
  let capturedTables: Record<string, number> | undefined;
  let parent: BackupManifest | undefined;
  // The row counts come from what the backup captured (the dump stream, the SQLite snapshot), so they match its
  // rows exactly even while the app writes. Only a binlog incremental has nothing to count: it counts on the server.
  const countOnServer = options.incremental === true && deps.database.dialect === 'mysql';
  const inspection = withDb
    ? deps.inspect({ counts: countOnServer })
    : Promise.resolve({ tables: {}, lastMigration: null });
  inspection.catch(() => {});
  let key: Promise<Buffer> | undefined;
  const cleanups: (() => Promise<void>)[] = [];

  try {
    if (options.incremental) parent = await findParent(deps);
    key = password === undefined ? undefined : keyPromise.then((k) => k!.key);
    key?.catch(() => {});
    const store: StorePart = (name, kind, source) =>
      storePart(deps, dests, id, { name, kind, source, compress: true, key });
    if (withDb) {
      progress('database');
      const captured = await captureDatabase(deps, id, parent, store, cleanups);
      parts.push(...captured.parts);
      notes.push(...captured.notes);
      coordinates = captured.coordinates;
      capturedTables = captured.tables;
    }
    if (withFiles) {
      progress('files');
      parts.push(await store('files.tar', 'files', deps.files.pack()));
      const envBytes = await deps.envFile.read();
      if (envBytes && key) {
        parts.push(await store('env', 'env', bufferStream(envBytes)));
      } else if (envBytes) {
        notes.push('the env file was left out: it is only ever stored encrypted, and BACKUP_PASSWORD is not set');
      }
    }
    if (options.withRedis && !options.incremental) {
      if (!deps.redis) throw new BackupError('redis_unconfigured', '--with-redis needs REDIS_URL');
      progress('redis');
      parts.push(await store('redis.rdb', 'redis', deps.redis.snapshot()));
    }
    const inspected = await inspection;
    progress('verify');
    for (const dest of [...dests.live]) {
      await onDestination(deps, dests, dest, async () => {
        for (const p of parts) await verifyPart(dest, id, p, true);
      });
    }
    const manifest: BackupManifest = {
      format: 1,
      id,
      kind: parent ? 'incremental' : 'full',
      baseId: parent ? (parent.baseId ?? parent.id) : null,
      parentId: parent?.id ?? null,
      safety: options.safety ?? false,
      createdAt: started.toISOString(),
      durationMs: Math.round(performance.now() - t0),
      app: deps.app,
      lastMigration: inspected.lastMigration,
      dialect: deps.database.dialect,
      contents: {
        database: withDb,
        files: withFiles,
        env: parts.some((p) => p.kind === 'env'),
        redis: parts.some((p) => p.kind === 'redis'),
      },
      tables: capturedTables ?? inspected.tables,
      parts,
      coordinates,
      encryption: (await keyPromise)?.params ?? null,
      destinations: dests.live.map((d) => d.name),
      verified: true,
      notes,
    };
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    for (const dest of [...dests.live]) await onDestination(deps, dests, dest, () => dest.commit(id, text));
    return { manifest, failedDestinations: dests.failed, cleanedLeftovers: cleaned };
  } catch (err) {
    for (const d of chosen) await d.abort(id).catch(() => {});
    throw err;
  } finally {
    for (const c of cleanups) await c().catch(() => {});
  }
}

/** Runs a step on one destination; its failure drops it (continue_on_failure, others left) or fails the set. */
async function onDestination(
  deps: BackupDeps,
  dests: LiveDestinations,
  dest: Destination,
  step: () => Promise<void>,
): Promise<void> {
  try {
    await step();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (!deps.config.continueOnFailure || dests.live.length <= 1) {
      throw new BackupError('destination_failed', `destination ${dest.name} failed: ${message}`);
    }
    dests.live.splice(dests.live.indexOf(dest), 1);
    dests.failed.push({ name: dest.name, error: message });
    deps.logger.warn({ destination: dest.name, err: message }, 'backup destination failed; continuing');
  }
}

function bufferStream(buf: Buffer): Readable {
  return Readable.from([buf]);
}
