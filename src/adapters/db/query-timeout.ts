import { AppError } from '../../domain/errors.js';

/**
 * A statement ran past its budget, or the server stopped answering: the request gets a 503 it can retry rather
 * than a hang or a 500. The driver's own error is kept as `cause` for the log line.
 */
export class DatabaseTimeoutError extends AppError {
  constructor(
    readonly phase: 'connect' | 'query',
    cause: unknown,
  ) {
    super(
      'database_timeout',
      phase === 'connect'
        ? 'the database did not accept a connection in time; try again shortly'
        : 'the database did not answer in time; try again shortly',
      503,
    );
    this.name = 'DatabaseTimeoutError';
    this.cause = cause;
  }
}

/**
 * Nothing answers at the database's address (refused, no route, name not found): a 503 the client may retry, like a
 * timeout, instead of a 500 that reads as a bug. The operator sees the driver's error in the log line.
 */
export class DatabaseUnavailableError extends AppError {
  constructor(cause: unknown) {
    // The driver's code (ECONNREFUSED…) says what happened without telling a client the database's address.
    const code = (cause as { code?: unknown } | undefined)?.code;
    super('database_unavailable', `the database cannot be reached (${String(code)}); try again shortly`, 503);
    this.name = 'DatabaseUnavailableError';
    this.cause = cause;
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** A connect error that says the server is not there (also Node's AggregateError over several addresses). */
export function isUnreachable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, errors } = err as { code?: unknown; errors?: unknown };
  if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every(isUnreachable);
}

/**
 * The client-side deadline of a statement. The server cancels a statement at the budget itself and keeps the
 * connection usable; the client waits a little longer so that it only gives up (and drops the connection) when
 * the server has stopped answering altogether.
 */
export function clientDeadlineMs(budgetMs: number): number {
  return budgetMs + CLIENT_GRACE_MS;
}

const CLIENT_GRACE_MS = 500;

/** How long to wait for a new connection: 5 s, or less when the budget is shorter, so connecting never outlasts it. */
export function connectTimeoutMs(budgetMs: number): number {
  return budgetMs > 0 ? Math.min(CONNECT_TIMEOUT_MS, budgetMs) : CONNECT_TIMEOUT_MS;
}

const CONNECT_TIMEOUT_MS = 5000;
