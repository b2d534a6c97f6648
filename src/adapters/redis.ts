import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../domain/errors.js';

/**
 * One Redis connection for sessions and rate limits. A command made while the connection is known to be down is
 * refused at once (whileReachable); one caught by a connection that drops under it fails after one reconnect attempt
 * (maxRetriesPerRequest: 1). The offline queue stays on so the requests of the first moment after a start are not
 * refused while the connection opens.
 */
export function createRedisClient(url: string, logger?: Logger): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
  });
  // Without a listener ioredis writes "[ioredis] Unhandled error event" to stderr at every reconnect attempt while
  // Redis is down: unstructured lines outside the log. Said as a warning line, as the cache's connection does.
  client.on('error', (err: Error) => logger?.warn({ err }, 'redis connection error (sessions, rate limits)'));
  watchConnection(client);
  return client;
}

/** Clients that have been connected at least once (see refuseWhileDown). */
const connectedOnce = new WeakSet<Redis>();

/** Call on a client as it is made, before it can connect: refuseWhileDown needs to know whether it ever has. */
export function watchConnection(client: Redis): void {
  client.on('ready', () => connectedOnce.add(client));
}

/**
 * Throws RedisUnavailableError, before anything is sent, while `client` (watched with watchConnection) cannot reach
 * Redis: a dependency that is down never hangs a request (DESIGN's failure rules). Left to ioredis, a command waits
 * in its offline queue through reconnect attempts whose pauses grow to 2 s. Only the first connection is waited for
 * (a fresh client's first command connects it: `wait`, then `connecting`), so the requests of a start, and one-shot
 * users such as backup:restore's cache clear, work.
 */
export function refuseWhileDown(client: Redis, what: string): void {
  const status = client.status;
  if (status === 'ready' || status === 'wait') return;
  if (!connectedOnce.has(client) && (status === 'connecting' || status === 'connect')) return;
  throw new RedisUnavailableError(what, `connection ${status}`);
}

/**
 * A call to Redis while it cannot be reached. Sessions and rate limits answer it as 503 with a stable code, like a
 * database that does not answer (DatabaseTimeoutError), rather than ioredis's own error taken for a bug (500 and an
 * "unhandled error" log line); the cache (cache/redis-cache.ts) refuses calls with it at once, and its callers take
 * it as a miss.
 */
export class RedisUnavailableError extends AppError {
  /** `cause`: the client's error, or what the connection was doing when the call was refused before it was sent. */
  constructor(what: string, cause: unknown) {
    super('redis_unavailable', `${what} cannot be reached (Redis is down); try again shortly`, 503);
    this.name = 'RedisUnavailableError';
    this.cause = cause;
  }
}

/**
 * Runs a command of `client`: refused at once while the connection is known to be down (refuseWhileDown), and a
 * failure while it is down (or that gave up waiting for it) becomes a RedisUnavailableError. Any other failure is
 * passed on as it is.
 */
export async function whileReachable<T>(client: Redis, what: string, command: () => Promise<T>): Promise<T> {
  refuseWhileDown(client, what);
  try {
    return await command();
  } catch (err) {
    const name = (err as { name?: unknown } | null)?.name;
    if (client.status !== 'ready' || name === 'MaxRetriesPerRequestError') throw new RedisUnavailableError(what, err);
    throw err;
  }
}
