import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DatabaseTarget } from '../../config/index.js';
import type { DB } from './schema.js';
import { openKysely } from './database.js';
import type { TryLock } from '../storage/host-lock.js';

/**
 * A named lock held by the database server (PostgreSQL advisory lock, MySQL/MariaDB GET_LOCK) on a connection of
 * its own, so it works across hosts and the server frees it when the holder's connection dies (a crashed or
 * SIGKILLed process). Like the migration lock, but any name and held across a whole operation, not a callback.
 * Lives outside the tables: a restore that drops every table does not drop the lock.
 */
export async function tryServerLock(
  target: Extract<DatabaseTarget, { dialect: 'mysql' | 'postgres' }>,
  name: string,
  what: string,
): Promise<TryLock> {
  const { db, close } = await openKysely(target, 1);
  let releaseConnection!: () => void;
  const released = new Promise<void>((r) => (releaseConnection = r));
  let pinned!: (conn: Kysely<DB>) => void;
  const gotConnection = new Promise<Kysely<DB>>((r) => (pinned = r));
  // Session locks belong to one connection: keep one checked out until release.
  const holding = db.connection().execute(async (conn) => {
    pinned(conn);
    await released;
  });
  holding.catch(() => {});
  const finish = async () => {
    releaseConnection();
    await holding.catch(() => {});
    await close();
  };
  try {
    const conn = await Promise.race([gotConnection, holding.then(() => Promise.reject(new Error('no connection')))]);
    const attempt =
      target.dialect === 'postgres'
        ? await tryPostgresLock(conn, pgLockKey(name), what)
        : await tryMysqlLock(conn, mysqlLockName(name, target.database));
    if (!attempt.ok) {
      await finish();
      return attempt;
    }
    return {
      ok: true,
      async release() {
        await attempt.unlock().catch(() => {}); // closing the connection frees it anyway
        await finish();
      },
    };
  } catch (err) {
    await finish();
    throw err;
  }
}

/** One try at a named lock on a pinned connection: held (with its unlock) or refused (with who holds it). */
export type LockAttempt = { ok: true; unlock: () => Promise<unknown> } | { ok: false; holder: string };

/** Advisory keys are per database; a stable 31-bit key per name keeps the holder query simple (classid 0). */
export const pgLockKey = (name: string) => createHash('sha256').update(name).digest().readUInt32BE(0) & 0x7fff_ffff;

/** GET_LOCK names are server-wide (64 chars): the database is part of it so two blogs on one server do not collide. */
export const mysqlLockName = (name: string, database: string) => `${name}:${database}`.slice(0, 64);

// A lock lives as long as its connection, and a connection idle past the server's idle limit is closed by the server
// (MySQL's wait_timeout is 8 hours by default; PostgreSQL's idle_session_timeout may be set by an operator): a long
// backup or migration would silently lose its lock. The holding session lifts its own limit (a week is MySQL's max).
const MYSQL_HOLD_SECONDS = 604_800;

export async function tryPostgresLock(conn: Kysely<DB>, key: number, what: string): Promise<LockAttempt> {
  const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${key}) as ok`.execute(conn);
  if (rows[0]?.ok !== true) return { ok: false, holder: await pgHolder(conn, key) };
  // The holder is named in pg_stat_activity (application_name, 63 bytes at most); its state_change, the end of
  // this statement, is when it took the lock.
  await sql`select set_config('application_name', ${what.slice(0, 63)}, false),
    set_config('idle_session_timeout', '0', false)`.execute(conn);
  return { ok: true, unlock: () => sql`select pg_advisory_unlock(${key})`.execute(conn) };
}

async function pgHolder(conn: Kysely<DB>, key: number): Promise<string> {
  const { rows } = await sql<{ pid: number; app: string; addr: string | null; since: Date | string | null }>`
    select a.pid, a.application_name as app, a.client_addr::text as addr, a.state_change as since
    from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.classid = 0 and l.objid = ${key} and l.objsubid = 1 and l.granted
      and l.database = (select oid from pg_database where datname = current_database())
    limit 1`.execute(conn);
  const r = rows[0];
  if (!r) return 'another session (it has just let go: try again)';
  const since = r.since ? new Date(r.since).toISOString() : 'unknown';
  return `${r.app || 'a session'} (PostgreSQL pid ${r.pid}${r.addr ? ` from ${r.addr}` : ''}), since ${since}`;
}

export async function tryMysqlLock(conn: Kysely<DB>, lockName: string): Promise<LockAttempt> {
  const { rows } = await sql<{ ok: number | null }>`select get_lock(${lockName}, 0) as ok`.execute(conn);
  if (rows[0]?.ok === 1) {
    await sql.raw(`set session wait_timeout = ${MYSQL_HOLD_SECONDS}`).execute(conn);
    return { ok: true, unlock: () => sql`select release_lock(${lockName})`.execute(conn) };
  }
  // The holder's connection sits idle after taking the lock, so its processlist TIME is the lock's age.
  const { rows: who } = await sql<{ id: number; host: string; time: number }>`
    select id, host, time from information_schema.processlist where id = is_used_lock(${lockName})`.execute(conn);
  const h = who[0];
  if (!h) return { ok: false, holder: 'another connection (it has just let go: try again)' };
  const since = new Date(Date.now() - Number(h.time) * 1000).toISOString();
  return { ok: false, holder: `MySQL connection ${h.id} from ${h.host}, since ${since}` };
}
