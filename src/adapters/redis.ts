import { Redis } from 'ioredis';

/**
 * One Redis connection for sessions and rate limits. Commands fail fast while Redis is down (no offline queue)
 * so a request answers with an error instead of hanging.
 */
export function createRedisClient(url: string): Redis {
  return new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
  });
}
