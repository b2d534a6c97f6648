import { Readable } from 'node:stream';
import { BackupError } from '../../domain/backup-errors.js';
import type { BackupDeps } from './deps.js';
import { readCatalog } from './catalog.js';
import type { BackupManifest, Coordinates, PartInfo, PartKind } from './manifest.js';
import { openPart } from './part-store.js';

/** Stores one part of the set being written (compressed, encrypted when a password is set). */
export type StorePart = (name: string, kind: PartKind, source: Readable) => Promise<PartInfo>;

/**
 * The database's parts of a set: a full dump or snapshot, or — with a parent — what changed since it (SQLite
 * pages, MySQL/MariaDB binary logs), with the coordinates the next incremental continues from.
 */
export async function captureDatabase(
  deps: BackupDeps,
  id: string,
  parent: BackupManifest | undefined,
  store: StorePart,
  cleanups: (() => Promise<void>)[],
): Promise<{ parts: PartInfo[]; coordinates: Coordinates; notes: string[]; tables?: Record<string, number> }> {
  const parts: PartInfo[] = [];
  const notes: string[] = [];
  // Rows per table read from what was captured itself (undefined for binlogs: the caller counts on the server).
  let tables: Record<string, number> | undefined;
  let coordinates: Coordinates = { type: 'none' };
  const db = deps.database;
  if (db.dialect === 'sqlite') {
    if (parent) {
      const prevHashes = await readWhole(deps, parent, 'page-hashes');
      const snap = await db.tools.delta(id, prevHashes);
      cleanups.push(() => snap.cleanup());
      tables = snap.tables;
      parts.push(await store('pages.delta', 'pages', snap.stream));
      parts.push(await store('page-hashes.bin', 'page-hashes', bufferStream(snap.pageHashes())));
      coordinates = {
        type: 'sqlite-pages',
        pageSize: snap.pageSize,
        pageCount: snap.pageCount,
        changedPages: snap.changedPages(),
      };
    } else {
      const snap = await db.tools.full(id);
      cleanups.push(() => snap.cleanup());
      tables = snap.tables;
      parts.push(await store('database.sqlite', 'database', snap.stream));
      parts.push(await store('page-hashes.bin', 'page-hashes', bufferStream(snap.pageHashes())));
      coordinates = {
        type: 'sqlite-pages',
        pageSize: snap.pageSize,
        pageCount: snap.pageCount,
        changedPages: null,
      };
    }
  } else if (db.dialect === 'mysql') {
    if (parent) {
      const since =
        parent.coordinates.type === 'binlog' ? (parent.coordinates.end ?? parent.coordinates.start) : undefined;
      if (!since) throw new BackupError('no_base', `backup ${parent.id} has no binlog coordinates to continue from`);
      const logs = await db.tools.binlogsSince(since);
      cleanups.push(logs.cleanup);
      for (const f of logs.files) {
        parts.push(await store(`binlog.${f.name}`, 'binlog', f.open()));
      }
      coordinates = { type: 'binlog', start: since, end: logs.next };
    } else {
      const binlog = await db.tools.binlogEnabled();
      if (!binlog) notes.push('binary logging is off: no incremental or point-in-time recovery from this backup');
      const dump = db.tools.dump(binlog);
      const [part, position] = await Promise.all([store('database.sql', 'database', dump.stream), dump.done]);
      parts.push(part);
      tables = dump.tables();
      if (position) coordinates = { type: 'binlog', start: position, end: null };
    }
  } else {
    const dump = await db.tools.dump();
    const [part] = await Promise.all([store('database.sql', 'database', dump.stream), dump.done]);
    parts.push(part);
    tables = dump.tables();
  }
  return { parts, coordinates, notes, tables };
}

/** The newest set with database contents of this dialect: what an incremental continues from. */
export async function findParent(deps: BackupDeps): Promise<BackupManifest> {
  const candidates = (await readCatalog(deps))
    .map((e) => e.manifest)
    .filter((m) => m.contents.database && m.dialect === deps.database.dialect && !m.safety);
  const parent = candidates.at(-1);
  if (!parent) throw new BackupError('no_base', 'no full backup to build an incremental on: run backup:run first');
  if (deps.database.dialect === 'mysql' && parent.coordinates.type !== 'binlog') {
    const enabled = deps.database.dialect === 'mysql' && (await deps.database.tools.binlogEnabled());
    throw new BackupError(
      'binlog_off',
      enabled
        ? `backup ${parent.id} was taken without binary logging: take a full backup first`
        : 'incremental MySQL/MariaDB backups need binary logging: start the server with log_bin (e.g. --log-bin --server-id=1) and take a full backup',
    );
  }
  return parent;
}

async function readWhole(deps: BackupDeps, m: BackupManifest, kind: PartInfo['kind']): Promise<Buffer> {
  const part = m.parts.find((p) => p.kind === kind);
  if (!part) throw new BackupError('no_base', `backup ${m.id} has no ${kind} part to continue from`);
  const entry = (await readCatalog(deps)).find((e) => e.manifest.id === m.id)!;
  const useKey =
    part.iv && m.encryption ? await deps.codec.keyFor(deps.config.password, m.encryption, m.id) : undefined;
  const stream = await openPart(deps, entry.on[0]!, m.id, part, useKey);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function bufferStream(buf: Buffer): Readable {
  return Readable.from([buf]);
}
