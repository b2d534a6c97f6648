import { ConfigError } from '../config/index.js';
import { AppError } from '../domain/errors.js';
import { MigrationFailedError, RollbackMissingMigrationError } from '../adapters/db/migrator.js';
import { DatabaseUnavailableError } from '../adapters/db/query-timeout.js';
import { MigrationLockTimeoutError } from '../adapters/db/migration-lock.js';

/** A failure the command reports as one line, with the process exit code: 2 for bad input, 1 for a failed operation. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** One line for any error, and its exit code. Stack traces are for bugs only (shown with INKSTONE_DEBUG=1). */
export function describeFailure(err: unknown): { message: string; exitCode: number; bug: boolean } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode, bug: false };
  if (err instanceof ConfigError) return { message: err.message, exitCode: 2, bug: false };
  // The HTTP side keeps the database's address out of its message; an operator at the CLI wants it.
  if (err instanceof DatabaseUnavailableError) {
    const db = describeDatabaseError(err.cause);
    if (db) return { message: db, exitCode: 1, bug: false };
  }
  if (err instanceof AppError) return { message: err.message, exitCode: err.status < 500 ? 1 : 1, bug: false };
  if (err instanceof MigrationFailedError) {
    const at = err.direction === 'up' ? `; the schema is at ${err.lastGood ?? 'no migrations'}` : '';
    return { message: `${err.message}${at}`, exitCode: 1, bug: false };
  }
  if (err instanceof MigrationLockTimeoutError || err instanceof RollbackMissingMigrationError) {
    return { message: err.message, exitCode: 1, bug: false };
  }
  const db = describeDatabaseError(err);
  if (db) return { message: db, exitCode: 1, bug: false };
  const message = err instanceof Error ? err.message : String(err);
  return { message: `unexpected error: ${message}`, exitCode: 1, bug: true };
}

/** Connection-level errors from the three drivers, as an operator would want them said. */
function describeDatabaseError(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & { code?: string; errno?: number; address?: string; port?: number };
  const where = e.address ? ` at ${e.address}${e.port ? `:${e.port}` : ''}` : '';
  switch (e.code) {
    case 'ECONNREFUSED':
      return `cannot reach the database${where}: connection refused (is the server running?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach the database: host not found (${e.message})`;
    case 'ETIMEDOUT':
      return `cannot reach the database${where}: connection timed out`;
    case 'ER_ACCESS_DENIED_ERROR':
    case '28P01':
    case '28000':
      return `the database refused the credentials: ${e.message}`;
    case 'ER_BAD_DB_ERROR':
    case '3D000':
      return `the database does not exist: ${e.message} (create it first)`;
    case 'SQLITE_CANTOPEN':
      return `cannot open the SQLite file: ${e.message}`;
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return `the SQLite file is damaged or not a database: ${e.message}`;
    default:
      return undefined;
  }
}
