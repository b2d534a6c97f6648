import { Redis } from 'ioredis';

/**
 * A Redis connection that fails fast while the server is away (no offline queue: a command errors at once
 * instead of waiting) and reconnects in the background, so a Redis outage degrades requests rather than
 * hanging them.
 */
export function createRedis(url: string, name = 'inkstone'): Redis {
  const client = new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // Connection errors are reported through health checks and failing commands; an unhandled 'error' event
  // would otherwise crash the process.
  client.on('error', () => {});
  return client;
}
