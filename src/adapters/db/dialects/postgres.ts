import { PostgresDialect, type Dialect as KyselyDialect } from 'kysely';
import type { DatabaseTarget } from '../../../config/index.js';

type ServerTarget = Extract<DatabaseTarget, { dialect: 'mysql' | 'postgres' }>;

const INT8 = 20;
const NUMERIC = 1700;

/** PostgreSQL 15+ through pg. bigint and numeric come back as numbers (counts, sizes) rather than strings. */
export async function createPostgresDialect(
  target: ServerTarget,
  poolMax: number,
): Promise<{ dialect: KyselyDialect; close: () => Promise<void> }> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    host: target.socket ?? target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    max: poolMax,
    connectionTimeoutMillis: 5000,
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
    dialect: new PostgresDialect({ pool }),
    // Kysely's destroy() ends the pool when it was used; this covers a pool it never touched.
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}
