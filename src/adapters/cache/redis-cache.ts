import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Cache } from './cache-port.js';
import { refuseWhileDown, watchConnection } from '../redis.js';

/**
 * The Redis driver. Entries live at `<prefix>cache:<key>`; a tag is a set at `<prefix>cache-tag:<tag>` naming its
 * keys. Prefix deletes and clear() walk keys with SCAN (never KEYS, which blocks a busy server).
 */
export function createRedisCache(options: { url: string; prefix: string; logger: Logger }): Cache {
  // connectTimeout: a Redis host that does not answer at all holds the first command no longer than this (10 s by
  // default). maxRetriesPerRequest: a command caught by a dropped connection fails after one reconnect attempt.
  const redis = new Redis(options.url, { maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: 2000 });
  redis.on('error', (err: Error) => options.logger.warn({ err }, 'redis connection error (cache)'));
  watchConnection(redis);
  /**
   * A cache that cannot be reached is a miss at once, and every caller treats a failed cache call as a miss. Left to
   * ioredis, with Redis down a read took 0.7 s and a page write 6.6 s, and each uncached page paid both.
   */
  const reachable = () => refuseWhileDown(redis, 'the cache');
  const entry = (key: string) => `${options.prefix}cache:${key}`;
  const tagKey = (tag: string) => `${options.prefix}cache-tag:${tag}`;

  async function deleteMatching(pattern: string): Promise<number> {
    let n = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) n += await redis.del(...keys);
    } while (cursor !== '0');
    return n;
  }

  return {
    driver: 'redis',
    async get<T>(key: string) {
      reachable();
      const json = await redis.get(entry(key));
      return json === null ? undefined : (JSON.parse(json) as T);
    },
    async set(key, value, opts = {}) {
      reachable();
      const json = JSON.stringify(value ?? null);
      const multi = redis.multi();
      if (opts.ttlMs !== undefined) multi.set(entry(key), json, 'PX', Math.max(1, Math.round(opts.ttlMs)));
      else multi.set(entry(key), json);
      for (const tag of opts.tags ?? []) multi.sadd(tagKey(tag), key);
      await multi.exec();
    },
    async getBuffer(key) {
      reachable();
      return (await redis.getBuffer(entry(key))) ?? undefined;
    },
    async setBuffer(key, value, opts = {}) {
      reachable();
      const multi = redis.multi();
      if (opts.ttlMs !== undefined) multi.set(entry(key), value, 'PX', Math.max(1, Math.round(opts.ttlMs)));
      else multi.set(entry(key), value);
      for (const tag of opts.tags ?? []) multi.sadd(tagKey(tag), key);
      await multi.exec();
    },
    async delete(key) {
      reachable();
      return (await redis.del(entry(key))) > 0;
    },
    async deleteByPrefix(prefix) {
      reachable();
      return deleteMatching(`${entry(escapeGlob(prefix))}*`);
    },
    async deleteByTag(tag) {
      reachable();
      const keys = await redis.smembers(tagKey(tag));
      const n = keys.length > 0 ? await redis.del(...keys.map(entry)) : 0;
      await redis.del(tagKey(tag));
      return n;
    },
    async clear() {
      reachable();
      const n = await deleteMatching(`${escapeGlob(options.prefix)}cache:*`);
      await deleteMatching(`${escapeGlob(options.prefix)}cache-tag:*`);
      return n;
    },
    async close() {
      // Never used (lazyConnect): nothing to say goodbye to.
      if (redis.status === 'wait') return redis.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
