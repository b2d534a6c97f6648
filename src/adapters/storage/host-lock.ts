import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Who holds a lock: written beside the lock so a refused run can say who and since when. */
export interface LockHolderInfo {
  host: string;
  pid: number;
  /** What runs under the lock, e.g. `backup:run (cli)`. */
  what: string;
  since: string;
}

export type TryLock = { ok: true; release(): Promise<void> } | { ok: false; holder: string };

const LOCK_FILE = '.lock';
const HOLDER_FILE = '.lock.json';

/**
 * A lock for one host in a directory (the local backup folder). The lock itself is an exclusive SQLite
 * transaction on `.lock`: SQLite takes a POSIX record lock, which the kernel drops when the holder dies, even by
 * SIGKILL — so a crashed run never blocks the next one and there is no pid or lease to second-guess. The lock file
 * is never deleted (deleting a lock file races with a process that just opened it). `.lock.json` names the holder.
 */
export async function tryHostLock(dir: string, what: string, now: () => Date): Promise<TryLock> {
  await mkdir(dir, { recursive: true });
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const db = new BetterSqlite3(join(dir, LOCK_FILE), { timeout: 0 });
  try {
    db.exec('begin exclusive');
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    return { ok: false, holder: await describeHolder(dir) };
  }
  const info: LockHolderInfo = { host: hostname(), pid: process.pid, what, since: now().toISOString() };
  const tmp = join(dir, `${HOLDER_FILE}.${process.pid}.tmp`);
  await writeFile(tmp, JSON.stringify(info));
  await rename(tmp, join(dir, HOLDER_FILE));
  return {
    ok: true,
    async release() {
      // The holder note goes first: once the lock is free a new holder may already be writing its own.
      await rm(join(dir, HOLDER_FILE), { force: true });
      db.exec('rollback');
      db.close();
    },
  };
}

async function describeHolder(dir: string): Promise<string> {
  const text = await readFile(join(dir, HOLDER_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return 'another process on this host';
  try {
    const h = JSON.parse(text) as LockHolderInfo;
    return `${h.what}, pid ${h.pid} on ${h.host}, since ${h.since}`;
  } catch {
    return 'another process on this host';
  }
}
