import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LRUCache } from 'lru-cache';
import type BetterSqlite3 from 'better-sqlite3';
import {
  SqliteDialect,
  SqliteQueryCompiler,
  type Dialect as KyselyDialect,
  type LimitNode,
  type QueryCompiler,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import { DatabaseTimeoutError } from '../query-timeout.js';
import { formatIso, parseIso } from '../../../domain/iso-date.js';

/**
 * Runs a SELECT's SQL on the connection now, without Kysely's executor: the rows, or undefined when the connection
 * is held (a transaction is open on it, or a statement is being iterated), for the caller to go through Kysely and
 * wait its turn. See prepared-select.ts.
 */
export type DirectSelect = (sql: string, parameters: readonly unknown[]) => unknown[] | undefined;

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
): Promise<{ dialect: KyselyDialect; close: () => void; directSelect: DirectSelect }> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  // better-sqlite3 waits for a lock synchronously, holding the event loop, so no wait is longer than 5 s.
  const db = new BetterSqlite3(file, {
    timeout: queryTimeoutMs > 0 ? Math.min(queryTimeoutMs, MAX_BUSY_MS) : MAX_BUSY_MS,
  });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  const statements = new LRUCache<string, Prepared>({ max: 500 });
  // Open iterations: while one runs, better-sqlite3 refuses any other statement on the connection.
  let iterating = 0;
  const prepare = (sql: string): Prepared => {
    // Compiling a statement costs more than running a small one; the same SQL text comes back on every request.
    let prepared = statements.get(sql);
    if (!prepared) {
      prepared = busyAsTimeout(() => prepareStatement(db.prepare(sql), sql));
      statements.set(sql, prepared);
    }
    return prepared;
  };
  const all = ({ stmt, toRow }: Prepared, params: readonly unknown[]) =>
    busyAsTimeout(() => stmt.all(toSqliteParams(params)).map(toRow));
  const database: SqliteDatabase = {
    close: () => db.close(),
    prepare: (sql: string): SqliteStatement => {
      const prepared = prepare(sql);
      const { stmt, toRow } = prepared;
      return {
        reader: stmt.reader,
        all: (params) => all(prepared, params),
        run: (params) => busyAsTimeout(() => stmt.run(toSqliteParams(params))),
        iterate: (params) => counted(mapIterator(stmt.iterate(toSqliteParams(params)), toRow)),
      };
    },
  };
  function* counted<T>(rows: Iterable<T>): IterableIterator<T> {
    iterating++;
    try {
      yield* rows;
    } finally {
      iterating--;
    }
  }
  const directSelect: DirectSelect = (sql, parameters) =>
    db.inTransaction || iterating > 0 ? undefined : all(prepare(sql), parameters);
  return { dialect: new InkstoneSqliteDialect({ database }), close: () => db.open && db.close(), directSelect };
}

/**
 * Writes `LIMIT ?` as `LIMIT +?`. SQLite (3.4x, as better-sqlite3 12 bundles it) reads a LIMIT's bound value while
 * planning, to size the result, and so marks the statement to be compiled again whenever that parameter is bound:
 * on every run, since each run binds its values. A unary plus makes the limit an expression it does not read.
 * Measured on the list page of 15 summaries: 130 -> 80 µs a run, the statement no longer parsed each time.
 * test/adapters/db/sqlite-limit.test.ts checks the SQL and that limits still limit.
 */
class LimitAsExpressionCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    this.append('limit +');
    this.visitNode(node.limit);
  }
}

class InkstoneSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new LimitAsExpressionCompiler();
  }
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
  return params.map((p) => (p instanceof Date ? formatIso(p) : typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

type Statement = ReturnType<BetterSqlite3.Database['prepare']>;

interface Prepared {
  stmt: Statement;
  /** A result row as the code above sees it: an object by column name, `*_at` columns as Date. */
  toRow: (raw: unknown) => unknown;
}

/**
 * A statement that returns rows runs in raw mode (arrays), and its rows are built here from the column names it
 * declares, found once. better-sqlite3 builds each row object through V8's C++ API, internalising every column name
 * and growing the object one property at a time; on the hot reads (an article, a page of 15) that was a large
 * part of the time spent in SQLite. Which columns may hold dates is worked out once too.
 *
 * Only for statements that name their columns: SQLite prepares a statement again by itself after a schema change,
 * and a `*` (or `RETURNING *`) may then stand for other columns than the names found here. Any `*` in the text (a
 * `count(*)` too) keeps better-sqlite3's own row objects, which is always right.
 */
function prepareStatement(stmt: Statement, sql: string): Prepared {
  if (!stmt.reader || sql.includes('*')) return { stmt, toRow: fromSqliteRow };
  stmt.raw(true);
  const names = stmt.columns().map((c) => c.name);
  const dates = names.flatMap((name, i) => (name.endsWith('_at') ? [i] : []));
  return {
    stmt,
    toRow(raw) {
      const values = raw as unknown[];
      for (const i of dates) {
        const v = values[i];
        if (typeof v === 'string' && ISO.test(v)) values[i] = parseIso(v);
      }
      const row: Record<string, unknown> = {};
      // In column order, so that of two columns with one name the later wins, as in better-sqlite3's own objects.
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
      return row;
    },
  };
}

function fromSqliteRow(row: unknown): unknown {
  if (row === null || typeof row !== 'object') return row;
  const r = row as Record<string, unknown>;
  for (const key in r) {
    const v = r[key];
    if (key.endsWith('_at') && typeof v === 'string' && ISO.test(v)) r[key] = parseIso(v);
  }
  return r;
}

function* mapIterator<T, U>(it: Iterable<T>, fn: (v: T) => U): IterableIterator<U> {
  for (const v of it) yield fn(v);
}
