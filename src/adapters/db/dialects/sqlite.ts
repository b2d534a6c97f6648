import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LRUCache } from 'lru-cache';
import { SqliteDialect, type Dialect as KyselyDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { DatabaseTimeoutError } from '../query-timeout.js';

/**
 * SQLite through better-sqlite3 in WAL mode with foreign keys on. better-sqlite3 binds neither Date nor boolean,
 * and SQLite has no timestamp type, so this wrapper stores dates as ISO-8601 UTC text (which sorts correctly) and
 * turns `*_at` columns back into Date on the way out: code sees the same types on every dialect.
 * `queryTimeoutMs` (0: none) bounds the wait for another connection's write lock; SQLite cannot stop a running
 * statement, and the file is local, so there is no server to stop answering.
 */
export async function createSqliteDialect(
  file: string,
  queryTimeoutMs = 0,
): Promise<{ dialect: KyselyDialect; close: () => void }> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  // better-sqlite3 waits for a lock synchronously, holding the event loop, so no wait is longer than 5 s.
  const db = new BetterSqlite3(file, {
    timeout: queryTimeoutMs > 0 ? Math.min(queryTimeoutMs, MAX_BUSY_MS) : MAX_BUSY_MS,
  });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  const statements = new LRUCache<string, ReturnType<typeof db.prepare>>({ max: 500 });
  const database: SqliteDatabase = {
    close: () => db.close(),
    prepare: (sql: string): SqliteStatement => {
      // Compiling a statement costs more than running a small one; the same SQL text comes back on every request.
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = busyAsTimeout(() => db.prepare(sql));
        statements.set(sql, stmt);
      }
      return {
        reader: stmt.reader,
        all: (params) => busyAsTimeout(() => stmt.all(toSqliteParams(params)).map(fromSqliteRow)),
        run: (params) => busyAsTimeout(() => stmt.run(toSqliteParams(params))),
        iterate: (params) => mapIterator(stmt.iterate(toSqliteParams(params)), fromSqliteRow),
      };
    },
  };
  return { dialect: new SqliteDialect({ database }), close: () => db.open && db.close() };
}

const MAX_BUSY_MS = 5000;

/** SQLITE_BUSY (and its extended codes): the lock was not free within the wait, a timeout like the servers' own. */
function busyAsTimeout<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) throw new DatabaseTimeoutError('query', err);
    throw err;
  }
}

function toSqliteParams(params: readonly unknown[]): unknown[] {
  return params.map((p) => (p instanceof Date ? p.toISOString() : typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function fromSqliteRow(row: unknown): unknown {
  if (row === null || typeof row !== 'object') return row;
  const r = row as Record<string, unknown>;
  for (const key in r) {
    const v = r[key];
    if (key.endsWith('_at') && typeof v === 'string' && ISO.test(v)) r[key] = new Date(v);
  }
  return r;
}

function* mapIterator<T, U>(it: Iterable<T>, fn: (v: T) => U): IterableIterator<U> {
  for (const v of it) yield fn(v);
}
