import { Redis } from 'ioredis';
import type { Logger } from 'pino';

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
