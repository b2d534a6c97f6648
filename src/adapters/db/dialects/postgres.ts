import { PostgresDialect, type Dialect as KyselyDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import type { DatabaseTarget } from '../../../config/index.js';
import {
  DatabaseTimeoutError,
  DatabaseUnavailableError,
  clientDeadlineMs,
  connectTimeoutMs,
  isUnreachable,
} from '../query-timeout.js';

type ServerTarget = Extract<DatabaseTarget, { dialect: 'mysql' | 'postgres' }>;

const INT8 = 20;
const NUMERIC = 1700;

/**
 * PostgreSQL 15+ through pg. bigint and numeric come back as numbers (counts, sizes) rather than strings.
 * `queryTimeoutMs` (0: none) is each statement's budget: the server cancels it (statement_timeout, which also
 * bounds lock waits) and the client gives up shortly after when the server has stopped answering.
 */
export async function createPostgresDialect(
  target: ServerTarget,
  poolMax: number,
  queryTimeoutMs = 0,
): Promise<{ dialect: KyselyDialect; close: () => Promise<void> }> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    host: target.socket ?? target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    max: poolMax,
    connectionTimeoutMillis: connectTimeoutMs(queryTimeoutMs),
    ...(queryTimeoutMs > 0
      ? { statement_timeout: queryTimeoutMs, query_timeout: clientDeadlineMs(queryTimeoutMs) }
      : {}),
    // Per-pool parsers rather than pg.types.setTypeParser: no process-wide state.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
        oid === INT8 || oid === NUMERIC
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A client that loses its server emits 'error': idle ones through the pool, checked-out ones on themselves.
  // Unheard, either would crash the process; the query in progress still rejects with the failure.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return {
    dialect: new PostgresDialect({ pool: timeoutAwarePool(pool) }),
    // Kysely's destroy() ends the pool when it was used; this covers a pool it never touched.
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}

// query_canceled: statement_timeout (or an operator's pg_cancel_backend). The connection stays usable.
const QUERY_CANCELED = '57014';
const CLIENT_TIMEOUT = 'Query read timeout';
const CONNECT_TIMEOUTS = ['timeout exceeded when trying to connect', 'Connection terminated due to connection timeout'];

/**
 * The pool Kysely sees: timeouts become DatabaseTimeoutError, and a client whose query the client side gave up on
 * is destroyed on release rather than handed to the next request (its server may still answer the old query, or
 * never answer at all). Kysely releases with no argument, so the wrapper decides.
 */
function timeoutAwarePool(pool: Pool): PostgresPool {
  const wrapped = new WeakMap<PoolClient, PostgresPoolClient>();
  return {
    connect: async () => {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        if (CONNECT_TIMEOUTS.includes((err as Error).message)) throw new DatabaseTimeoutError('connect', err);
        throw isUnreachable(err) ? new DatabaseUnavailableError(err) : err;
      }
      let w = wrapped.get(client);
      if (!w) {
        w = wrapClient(client);
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}

function wrapClient(client: PoolClient): PostgresPoolClient {
  let broken: DatabaseTimeoutError | undefined;
  // Only the (sql, parameters) form: streaming needs a cursor class, which this dialect does not configure.
  const query = (async (sql: string, parameters: unknown[]) => {
    // The timed-out query still occupies the client: anything after it (a rollback) would wait as long again.
    if (broken) throw broken;
    try {
      return await client.query(sql, parameters);
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      if (e.message === CLIENT_TIMEOUT) throw (broken = new DatabaseTimeoutError('query', err));
      if (e.code === QUERY_CANCELED) throw new DatabaseTimeoutError('query', err);
      throw err;
    }
  }) as unknown as PostgresPoolClient['query'];
  return {
    query,
    release: () => {
      const destroy = broken !== undefined;
      broken = undefined;
      client.release(destroy);
    },
  };
}
