import { MysqlDialect, type Dialect as KyselyDialect } from 'kysely';
import type { DatabaseTarget } from '../../../config/index.js';

type ServerTarget = Extract<DatabaseTarget, { dialect: 'mysql' | 'postgres' }>;

/** MySQL 8 / MariaDB 10.11+ through mysql2. Times are UTC on the wire (timezone 'Z'), utf8mb4 throughout. */
export async function createMysqlDialect(
  target: ServerTarget,
  poolMax: number,
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
    connectTimeout: 5000,
  });
  return {
    dialect: new MysqlDialect({ pool }),
    // Kysely's destroy() ends the pool when it was used; ending it again only reports an error, ignored here.
    close: () => new Promise<void>((resolve) => pool.end(() => resolve())),
  };
}
