import { hostname } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../config/index.js';
import type { DB } from './schema.js';

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
      return withPostgresLock(db, options, fn);
    case 'mysql':
      return withMysqlLock(db, databaseName, options, fn);
    case 'sqlite':
      return withRowLock(db, options, fn);
  }
}

const PG_LOCK_KEY = 0x1a75_0001; // any constant: advisory keys are scoped to the database

async function withPostgresLock<T>(db: Kysely<DB>, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await poll(options, async () => {
      const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${PG_LOCK_KEY}) as ok`.execute(conn);
      return rows[0]?.ok === true ? { ok: true } : { ok: false, holder: await pgHolder(conn) };
    });
    try {
      return await fn();
    } finally {
      await sql`select pg_advisory_unlock(${PG_LOCK_KEY})`.execute(conn);
    }
  });
}

async function pgHolder(conn: Kysely<DB>): Promise<string | undefined> {
  const { rows } = await sql<{ pid: number; client_addr: string | null }>`
    select a.pid, a.client_addr::text as client_addr from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.objid = ${PG_LOCK_KEY} and l.granted limit 1`.execute(conn);
  const r = rows[0];
  return r ? `server pid ${r.pid}${r.client_addr ? ` from ${r.client_addr}` : ''}` : undefined;
}

async function withMysqlLock<T>(
  db: Kysely<DB>,
  databaseName: string,
  options: LockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  // GET_LOCK names are server-wide: include the database so two blogs on one server do not block each other.
  const name = `inkstone_migrate:${databaseName}`.slice(0, 64);
  return db.connection().execute(async (conn) => {
    await poll(options, async () => {
      const { rows } = await sql<{ ok: number | null }>`select get_lock(${name}, 0) as ok`.execute(conn);
      if (rows[0]?.ok === 1) return { ok: true };
      const holder = await sql<{ id: number | null }>`select is_used_lock(${name}) as id`.execute(conn);
      const id = holder.rows[0]?.id;
      return { ok: false, holder: id ? `connection ${id}` : undefined };
    });
    try {
      return await fn();
    } finally {
      await sql`select release_lock(${name})`.execute(conn);
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
