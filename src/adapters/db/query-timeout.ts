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
