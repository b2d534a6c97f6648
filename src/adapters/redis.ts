import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../domain/errors.js';

/**
 * One Redis connection for sessions and rate limits. A command made while Redis is down waits for one reconnect
 * attempt (maxRetriesPerRequest: 1; the offline queue stays on so the requests of the first moment after a start
 * are not refused while the connection opens), then fails: the request answers with an error.
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
  return client;
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
 * Runs a command of `client`; a failure while the connection is down (or that gave up waiting for it) becomes a
 * RedisUnavailableError. Any other failure is passed on as it is.
 */
export async function whileReachable<T>(client: Redis, what: string, command: () => Promise<T>): Promise<T> {
  try {
    return await command();
  } catch (err) {
    const name = (err as { name?: unknown } | null)?.name;
    if (client.status !== 'ready' || name === 'MaxRetriesPerRequestError') throw new RedisUnavailableError(what, err);
    throw err;
  }
}
