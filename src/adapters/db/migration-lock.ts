import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../config/index.js';
import type { DB } from './schema.js';
import { mysqlLockName, tryMysqlLock, tryPostgresLock, type LockAttempt } from './named-lock.js';

/** Thrown when another `migrate` holds the lock for longer than the configured wait. */
export class MigrationLockTimeoutError extends Error {
  constructor(
    readonly waitedMs: number,
    readonly holder: string | undefined,
  ) {
    super(
      `another migration run holds the lock${holder ? ` (${holder})` : ''}; gave up after ${Math.round(waitedMs / 1000)} s`,
    );
    this.name = 'MigrationLockTimeoutError';
  }
}

export interface LockOptions {
  timeoutMs: number;
  /** Called once when the lock is busy and we start waiting. */
  onWait?: (holder: string | undefined) => void;
  pollMs?: number;
}

/**
 * Runs `fn` while holding the migration lock, so two `migrate` runs never apply the same migration.
 * PostgreSQL and MySQL use the server's advisory locks on a pinned connection: a crashed holder releases them
 * with its connection. SQLite (one file, one host) uses a lock row whose owner names host and pid, so a lock
 * left by a dead process on this host is taken over.
 */
export async function withMigrationLock<T>(
  db: Kysely<DB>,
  dialect: Dialect,
  databaseName: string,
  options: LockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  switch (dialect) {
    case 'postgres':
      return withServerLock(db, options, (conn) => tryPostgresLock(conn, PG_LOCK_KEY, 'inkstone migrate'), fn);
    case 'mysql':
      return withServerLock(
        db,
        options,
        (conn) => tryMysqlLock(conn, mysqlLockName('inkstone_migrate', databaseName)),
        fn,
      );
    case 'sqlite':
      return withRowLock(db, options, fn);
  }
}

// A fixed key (not pgLockKey of a name): every version of Inkstone must take the same lock.
const PG_LOCK_KEY = 0x1a75_0001;

/** Holds the server's named lock on one pinned connection for the length of `fn`. */
async function withServerLock<T>(
  db: Kysely<DB>,
  options: LockOptions,
  tryLock: (conn: Kysely<DB>) => Promise<LockAttempt>,
  fn: () => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    let unlock!: () => Promise<unknown>;
    await poll(options, async () => {
      const attempt = await tryLock(conn);
      if (attempt.ok) unlock = attempt.unlock;
      return attempt;
    });
    try {
      return await fn();
    } finally {
      await unlock();
    }
  });
}

async function withRowLock<T>(db: Kysely<DB>, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const owner = `${hostname()}:${process.pid}`;
  await poll(options, async () => {
    try {
      await db.insertInto('inkstone_migration_lock').values({ id: 1, owner, acquired_at: new Date() }).execute();
      return { ok: true };
    } catch {
      const row = await db.selectFrom('inkstone_migration_lock').selectAll().where('id', '=', 1).executeTakeFirst();
      if (!row) return { ok: false }; // released between our insert and select: try again at once
      if (isDeadLocalOwner(row.owner)) {
        await db.deleteFrom('inkstone_migration_lock').where('id', '=', 1).where('owner', '=', row.owner).execute();
        return { ok: false, retryNow: true };
      }
      return { ok: false, holder: `${row.owner} since ${row.acquired_at.toISOString()}` };
    }
  });
  try {
    return await fn();
  } finally {
    await db.deleteFrom('inkstone_migration_lock').where('id', '=', 1).where('owner', '=', owner).execute();
  }
}

function isDeadLocalOwner(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function poll(
  options: LockOptions,
  attempt: () => Promise<{ ok: boolean; holder?: string; retryNow?: boolean }>,
): Promise<void> {
  const started = Date.now();
  let told = false;
  for (;;) {
    const result = await attempt();
    if (result.ok) return;
    if (result.retryNow) continue;
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs) throw new MigrationLockTimeoutError(waited, result.holder);
    if (!told) {
      told = true;
      options.onWait?.(result.holder);
    }
    await new Promise((r) => setTimeout(r, Math.min(options.pollMs ?? 250, options.timeoutMs - waited)));
  }
}
