import { createReadStream, existsSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { applyDelta, deltaHeader, deltaRecord, hashPage, pageHasher, PAGE_HASH_BYTES } from './sqlite-pages.js';

export interface SqliteSnapshot {
  readonly pageSize: number;
  readonly pageCount: number;
  /** The database file's bytes (a consistent snapshot). */
  readonly stream: Readable;
  /** One hash per page, known once `stream` has been read to the end. */
  pageHashes(): Buffer;
  /** Rows per table in the snapshot (the same tables the restore's check lists). */
  readonly tables: Record<string, number>;
  cleanup(): Promise<void>;
}

/**
 * SQLite through its online backup API: a consistent copy taken while the app keeps writing. The copy is made
 * next to the database (same disk, not /tmp) and removed once streamed.
 */
/** The snapshot and the -wal/-shm files SQLite opens beside it (the copy inherits WAL mode from the database). */
async function removeSnapshot(path: string): Promise<void> {
  await Promise.all([path, `${path}-wal`, `${path}-shm`].map((p) => rm(p, { force: true })));
}

export function createSqliteDumper(file: string) {
  /** Snapshots left by a run that was killed (its pid is gone): they would otherwise fill the database's disk. */
  async function removeStaleSnapshots(): Promise<void> {
    const prefix = `${basename(file)}.backup-`;
    for (const entry of await readdir(dirname(file))) {
      const m = entry.startsWith(prefix) ? /^(\d+)-.*\.tmp(-wal|-shm)?$/.exec(entry.slice(prefix.length)) : null;
      if (m && !isAlive(Number(m[1]))) await rm(join(dirname(file), entry), { force: true });
    }
  }

  async function snapshot(
    tag: string,
  ): Promise<{ path: string; pageSize: number; pageCount: number; tables: Record<string, number> }> {
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    await removeStaleSnapshots();
    const path = `${file}.backup-${process.pid}-${tag}.tmp`;
    const db = new BetterSqlite3(file, { fileMustExist: true });
    try {
      await db.backup(path);
    } finally {
      db.close();
    }
    const copy = new BetterSqlite3(path, { readonly: true });
    try {
      const pageSize = copy.pragma('page_size', { simple: true }) as number;
      const pageCount = copy.pragma('page_count', { simple: true }) as number;
      // Counted on the copy, so they describe exactly the rows the backup holds (the app keeps writing meanwhile).
      // The tables are those Kysely's introspection lists for the restore's check: every non-internal table.
      const names = copy
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
        .pluck()
        .all() as string[];
      const tables: Record<string, number> = {};
      for (const name of names) {
        tables[name] = Number(
          copy
            .prepare(`select count(*) from "${name.replace(/"/g, '""')}"`)
            .pluck()
            .get(),
        );
      }
      return { path, pageSize, pageCount, tables };
    } finally {
      copy.close();
    }
  }

  return {
    /** Whether there is a database to back up at all (after a disk loss there may be none). */
    exists: (): Promise<boolean> => Promise.resolve(existsSync(file)),

    async full(tag: string): Promise<SqliteSnapshot> {
      const snap = await snapshot(tag);
      const hasher = pageHasher(snap.pageSize);
      const stream = createReadStream(snap.path).pipe(hasher.stage);
      return {
        pageSize: snap.pageSize,
        pageCount: snap.pageCount,
        stream,
        pageHashes: hasher.hashes,
        tables: snap.tables,
        cleanup: () => removeSnapshot(snap.path),
      };
    },

    /** The pages that differ from `previousHashes` (the state the chain restores to so far). */
    async delta(tag: string, previousHashes: Buffer): Promise<SqliteSnapshot & { changedPages: () => number }> {
      const snap = await snapshot(tag);
      const hashes: Buffer[] = [];
      let changed = 0;
      async function* pages(): AsyncGenerator<Buffer> {
        yield deltaHeader(snap.pageSize, snap.pageCount);
        const fh = await open(snap.path, 'r');
        try {
          const page = Buffer.alloc(snap.pageSize);
          for (let n = 0; n < snap.pageCount; n++) {
            const { bytesRead } = await fh.read(page, 0, snap.pageSize, n * snap.pageSize);
            const h = hashPage(page.subarray(0, bytesRead));
            hashes.push(h);
            const before = previousHashes.subarray(n * PAGE_HASH_BYTES, (n + 1) * PAGE_HASH_BYTES);
            if (!before.equals(h)) {
              changed++;
              yield deltaRecord(n, Buffer.from(page.subarray(0, bytesRead)));
            }
          }
        } finally {
          await fh.close();
        }
      }
      return {
        pageSize: snap.pageSize,
        pageCount: snap.pageCount,
        stream: Readable.from(pages()),
        pageHashes: () => Buffer.concat(hashes),
        tables: snap.tables,
        changedPages: () => changed,
        cleanup: () => removeSnapshot(snap.path),
      };
    },

    /**
     * Rebuilds the file from a full copy and its deltas, then swaps it in. The caller must have closed every
     * connection of this process first (an open WAL would write old pages back).
     */
    async restore(full: Readable, deltas: (() => Promise<Readable>)[]): Promise<void> {
      const tmp = `${file}.restoring`;
      await pipeline(full, createWriteStream(tmp));
      const fh = await open(tmp, 'r+');
      try {
        for (const next of deltas) {
          await applyDelta(
            await next(),
            async (page, offset) => {
              await fh.write(page, 0, page.length, offset);
            },
            (length) => fh.truncate(length),
          );
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rm(`${file}-wal`, { force: true });
      await rm(`${file}-shm`, { force: true });
      await rename(tmp, file);
    },
  };
}

export type SqliteDumper = ReturnType<typeof createSqliteDumper>;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
