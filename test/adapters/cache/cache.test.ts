import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pino } from 'pino';
import type { Cache } from '../../../src/adapters/cache/cache-port.js';
import { createMemoryCache } from '../../../src/adapters/cache/memory-cache.js';
import { createRedisCache } from '../../../src/adapters/cache/redis-cache.js';
import { redisTestPrefix } from '../../support/app.js';

/** One behaviour, both drivers. */
function cacheBehaviour(open: () => Promise<{ cache: Cache; close(): Promise<void> }>) {
  let ctx: { cache: Cache; close(): Promise<void> };
  beforeAll(async () => {
    ctx = await open();
  });
  afterAll(async () => ctx?.close());

  it('gets what was set (as JSON), misses what was not, deletes one key', async () => {
    const { cache } = ctx;
    await cache.clear();
    await cache.set('a', { n: 1, list: ['x'] });
    expect(await cache.get('a')).toEqual({ n: 1, list: ['x'] });
    expect(await cache.get('missing')).toBeUndefined();
    expect(await cache.delete('a')).toBe(true);
    expect(await cache.delete('a')).toBe(false);
    expect(await cache.get('a')).toBeUndefined();
  });

  it('expires an entry after its TTL', async () => {
    const { cache } = ctx;
    await cache.set('short', 'v', { ttlMs: 150 });
    await cache.set('long', 'v', { ttlMs: 60_000 });
    expect(await cache.get('short')).toBe('v');
    await new Promise((r) => setTimeout(r, 250));
    expect(await cache.get('short')).toBeUndefined();
    expect(await cache.get('long')).toBe('v');
  });

  it('deletes by prefix and by tag, and leaves the rest', async () => {
    const { cache } = ctx;
    await cache.clear();
    await cache.set('page:/a', 1);
    await cache.set('page:/b', 2);
    await cache.set('feed:rss', 3, { tags: ['article:7'] });
    await cache.set('page:/c*', 4, { tags: ['article:7'] });
    expect(await cache.deleteByPrefix('page:/a')).toBe(1);
    expect(await cache.get('page:/b')).toBe(2);
    expect(await cache.deleteByTag('article:7')).toBe(2);
    expect(await cache.get('feed:rss')).toBeUndefined();
    expect(await cache.get('page:/c*')).toBeUndefined();
    expect(await cache.get('page:/b')).toBe(2);
    expect(await cache.deleteByTag('article:7')).toBe(0);
  });

  it('clear() empties the cache and reports how many entries went', async () => {
    const { cache } = ctx;
    await cache.clear();
    await cache.set('x', 1);
    await cache.set('y', 2, { tags: ['t'] });
    expect(await cache.clear()).toBe(2);
    expect(await cache.get('x')).toBeUndefined();
    expect(await cache.deleteByTag('t')).toBe(0);
  });
}

describe('memory cache', () => {
  cacheBehaviour(() => Promise.resolve({ cache: createMemoryCache(), close: () => Promise.resolve() }));
});

const redis = inject('services').find((s) => s.name === 'redis');
describe.skipIf(!redis?.available)(`redis cache${redis?.available ? '' : ` (skipped: ${redis?.reason})`}`, () => {
  const keys = redisTestPrefix();
  const neighbour = redisTestPrefix();
  cacheBehaviour(() => {
    const cache = createRedisCache({ url: keys.url, prefix: keys.prefix, logger: pino({ level: 'silent' }) });
    return Promise.resolve({
      cache,
      close: async () => {
        await cache.close();
        await keys.clean();
        await neighbour.clean();
      },
    });
  });

  it("clear() leaves another blog's keys in the same Redis alone", async () => {
    const mine = createRedisCache({ url: keys.url, prefix: keys.prefix, logger: pino({ level: 'silent' }) });
    const theirs = createRedisCache({
      url: neighbour.url,
      prefix: neighbour.prefix,
      logger: pino({ level: 'silent' }),
    });
    try {
      await theirs.set('k', 'theirs');
      await mine.set('k', 'mine');
      await mine.clear();
      expect(await theirs.get('k')).toBe('theirs');
      expect(await mine.get('k')).toBeUndefined();
    } finally {
      await mine.close();
      await theirs.close();
    }
  });
});
