import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import { whileReachable } from '../redis.js';

export interface RateLimitResult {
  allowed: boolean;
  /** Hits counted in the current window, this one included. */
  count: number;
  /** Seconds until the window ends (what Retry-After says). */
  retryAfterSeconds: number;
}

/** Fixed-window counters: `hit` counts one event for `key` and says whether it is within `limit` per `windowMs`. */
export interface RateLimiter {
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** How many hits `key` has in its current window, without counting one. */
  peek(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

/**
 * In-process counters for a single instance (the embedded default). Several instances each count on their own,
 * which is why REDIS_URL switches to the Redis limiter below.
 */
export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new LRUCache<string, { count: number; resetAt: number }>({ max: 100_000 });
  return {
    hit(key, limit, windowMs) {
      const t = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w, { ttl: windowMs });
      }
      w.count++;
      return Promise.resolve({
        allowed: w.count <= limit,
        count: w.count,
        retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - t) / 1000)),
      });
    },
    peek(key) {
      const w = windows.get(key);
      return Promise.resolve(w && w.resetAt > now() ? w.count : 0);
    },
    reset(key) {
      windows.delete(key);
      return Promise.resolve();
    },
  };
}

/** Counters in Redis (INCR + PEXPIRE in one round trip), so every instance behind a balancer agrees. */
export function createRedisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  const k = (key: string) => `${prefix}ratelimit:${key}`;
  // While Redis is down nothing limited goes through unchecked: a 503 (redis.ts), not a bug's 500.
  const call = <T>(command: () => Promise<T>) => whileReachable(redis, 'rate limits', command);
  return {
    async hit(key, limit, windowMs) {
      const result = (await call(() =>
        redis.eval(
          `local c = redis.call('INCR', KEYS[1])
         if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
         return {c, redis.call('PTTL', KEYS[1])}`,
          1,
          k(key),
          String(windowMs),
        ),
      )) as [number, number];
      const [count, ttl] = result;
      return {
        allowed: count <= limit,
        count,
        retryAfterSeconds: Math.max(1, Math.ceil((ttl > 0 ? ttl : windowMs) / 1000)),
      };
    },
    async peek(key) {
      return Number((await call(() => redis.get(k(key)))) ?? 0);
    },
    async reset(key) {
      await call(() => redis.del(k(key)));
    },
  };
}
