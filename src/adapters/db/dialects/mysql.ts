import { MysqlDialect, type Dialect as KyselyDialect, type MysqlPool, type MysqlPoolConnection } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2';
import type { DatabaseTarget } from '../../../config/index.js';
import {
  DatabaseTimeoutError,
  DatabaseUnavailableError,
  clientDeadlineMs,
  connectTimeoutMs,
  isUnreachable,
} from '../query-timeout.js';

type ServerTarget = Extract<DatabaseTarget, { dialect: 'mysql' | 'postgres' }>;

/**
 * MySQL 8 / MariaDB 10.11+ through mysql2. Times are UTC on the wire (timezone 'Z'), utf8mb4 throughout.
 * `queryTimeoutMs` (0: none) is each statement's budget: mysql2 has no pool-wide query timeout, so the pool handed
 * to Kysely gives every query its own, and each new connection asks the server to stop statements at the budget.
 */
export async function createMysqlDialect(
  target: ServerTarget,
  poolMax: number,
  queryTimeoutMs = 0,
): Promise<{ dialect: KyselyDialect; close: () => Promise<void> }> {
  const { createPool } = await import('mysql2');
  const pool = createPool({
    host: target.socket ? undefined : target.host,
    port: target.socket ? undefined : target.port,
    socketPath: target.socket,
    user: target.user,
    password: target.password,
    database: target.database,
    connectionLimit: poolMax,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    decimalNumbers: true,
    dateStrings: false,
    connectTimeout: connectTimeoutMs(queryTimeoutMs),
  });
  return {
    dialect: new MysqlDialect({ pool: timeoutAwarePool(pool, queryTimeoutMs) }),
    // Kysely's destroy() ends the pool when it was used; ending it again only reports an error, ignored here.
    close: () => new Promise<void>((resolve) => pool.end(() => resolve())),
  };
}

// Server-side cancels (the connection stays usable): MariaDB max_statement_time, MySQL max_execution_time, and an
// InnoDB lock wait past innodb_lock_wait_timeout.
const ER_STATEMENT_TIMEOUT = 1969;
const ER_QUERY_TIMEOUT = 3024;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const SERVER_TIMEOUTS = new Set([ER_STATEMENT_TIMEOUT, ER_QUERY_TIMEOUT, ER_LOCK_WAIT_TIMEOUT]);

const ER_UNKNOWN_SYSTEM_VARIABLE = 1193;

/** The statement that makes the server itself stop a statement at the budget, for MariaDB or MySQL. */
function sessionLimits(mariadb: boolean, budgetMs: number): string {
  const lockWaitSeconds = Math.max(1, Math.ceil(budgetMs / 1000));
  // MariaDB's limit covers every statement; MySQL's only SELECTs, so there writes rely on the lock wait and the
  // client's deadline.
  const limit = mariadb ? `max_statement_time = ${(budgetMs / 1000).toFixed(3)}` : `max_execution_time = ${budgetMs}`;
  return `set session ${limit}, innodb_lock_wait_timeout = ${lockWaitSeconds}`;
}

/**
 * Sets the limits on a new connection, through the wrapper so that a server that stops answering right after the
 * handshake still meets the deadline. mysql2 tells MariaDB apart only through a private field: should that change,
 * the other server's variable is tried when the first one is unknown.
 */
function setSessionLimits(
  raw: PoolConnection,
  connection: MysqlPoolConnection,
  budgetMs: number,
  done: (err: unknown) => void,
): void {
  const mariadb = (raw as unknown as { _isMariaDB?: boolean })._isMariaDB === true;
  connection.query(sessionLimits(mariadb, budgetMs), [], (err) => {
    if ((err as { errno?: unknown } | null)?.errno === ER_UNKNOWN_SYSTEM_VARIABLE) {
      return connection.query(sessionLimits(!mariadb, budgetMs), [], done);
    }
    done(err);
  });
}

/**
 * The pool Kysely sees. Each query carries a client-side deadline; past it mysql2 only reports the timeout and
 * leaves the connection mid-command, so the wrapper destroys it (the pool opens a fresh one) instead of letting the
 * next request inherit it. Timeouts of either side become DatabaseTimeoutError.
 */
function timeoutAwarePool(pool: Pool, budgetMs: number): MysqlPool {
  const wrapped = new WeakMap<PoolConnection, MysqlPoolConnection>();
  return {
    getConnection: (callback) => {
      pool.getConnection((err, connection) => {
        if (err) {
          const e = err as { code?: unknown };
          const mapped =
            e.code === 'ETIMEDOUT'
              ? new DatabaseTimeoutError('connect', err)
              : isUnreachable(err)
                ? new DatabaseUnavailableError(err)
                : err;
          callback(mapped, undefined as never);
          return;
        }
        const known = wrapped.get(connection);
        if (known) return callback(null, known);
        const w = wrapConnection(connection, budgetMs);
        wrapped.set(connection, w);
        if (budgetMs === 0) return callback(null, w);
        setSessionLimits(connection, w, budgetMs, (setupErr) => {
          if (!setupErr) return callback(null, w);
          connection.destroy();
          callback(setupErr, undefined as never);
        });
      });
    },
    end: (callback) => pool.end(callback),
  };
}

function wrapConnection(connection: PoolConnection, budgetMs: number): MysqlPoolConnection {
  let broken: DatabaseTimeoutError | undefined;
  const timeout = budgetMs > 0 ? clientDeadlineMs(budgetMs) : undefined;
  function query(sql: string, parameters: unknown[], callback?: (error: unknown, result: never) => void) {
    if (!callback) {
      // Streaming (Kysely's streamQuery): no deadline, rows arrive as the caller reads them.
      return connection.query(sql, parameters);
    }
    // The destroyed connection refuses commands: say why (the timeout), not "closed state", for a rollback after it.
    if (broken) return callback(broken, undefined as never);
    connection.query({ sql, timeout }, parameters, (err, result) => {
      if (!err) return callback(null, result as never);
      const e = err as { code?: unknown; errno?: unknown };
      if (e.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
        broken = new DatabaseTimeoutError('query', err);
        connection.destroy();
        return callback(broken, undefined as never);
      }
      if (typeof e.errno === 'number' && SERVER_TIMEOUTS.has(e.errno)) {
        return callback(new DatabaseTimeoutError('query', err), undefined as never);
      }
      callback(err, undefined as never);
    });
  }
  return {
    query: query as MysqlPoolConnection['query'],
    release: () => connection.release(),
  };
}
