import { MysqlDialect, type Dialect as KyselyDialect, type MysqlPool, type MysqlPoolConnection } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2';
import type { DatabaseTarget } from '../../../config/index.js';
import { DatabaseTimeoutError, clientDeadlineMs, connectTimeoutMs } from '../query-timeout.js';

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

/** The statements that make the server itself stop a statement at the budget, per server. */
function sessionLimits(connection: PoolConnection, budgetMs: number): string[] {
  const lockWaitSeconds = Math.max(1, Math.ceil(budgetMs / 1000));
  const mariadb = (connection as unknown as { _isMariaDB?: boolean })._isMariaDB === true;
  return [
    // MariaDB's limit covers every statement; MySQL's only SELECTs, so writes rely on the lock wait and the client.
    mariadb
      ? `set session max_statement_time = ${(budgetMs / 1000).toFixed(3)}`
      : `set session max_execution_time = ${budgetMs}`,
    `set session innodb_lock_wait_timeout = ${lockWaitSeconds}`,
  ];
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
          callback(e.code === 'ETIMEDOUT' ? new DatabaseTimeoutError('connect', err) : err, undefined as never);
          return;
        }
        const known = wrapped.get(connection);
        if (known) return callback(null, known);
        const w = wrapConnection(connection, budgetMs);
        wrapped.set(connection, w);
        if (budgetMs === 0) return callback(null, w);
        // Through the wrapper: a server that stops answering right after the handshake still meets the deadline.
        setSessionLimits(w, sessionLimits(connection, budgetMs), (setupErr) => {
          if (!setupErr) return callback(null, w);
          connection.destroy();
          callback(setupErr, undefined as never);
        });
      });
    },
    end: (callback) => pool.end(callback),
  };
}

function setSessionLimits(connection: MysqlPoolConnection, statements: string[], done: (err: unknown) => void): void {
  const [first, ...rest] = statements;
  if (first === undefined) return done(null);
  connection.query(first, [], (err) => (err ? done(err) : setSessionLimits(connection, rest, done)));
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
