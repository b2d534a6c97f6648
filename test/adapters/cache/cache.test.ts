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

  it('keeps raw bytes as given, with TTL and tags like JSON values', async () => {
    const { cache } = ctx;
    await cache.clear();
    // Not valid UTF-8 and not JSON: the bytes must come back untouched.
    const bytes = Buffer.concat([
      Buffer.from('"etag"\ntext/html\n'),
      Buffer.from([0xff, 0x00, 0xfe]),
      Buffer.from('中文'),
    ]);
    await cache.setBuffer('page:/raw', bytes, { tags: ['article:9'] });
    expect(await cache.getBuffer('page:/raw')).toEqual(bytes);
    expect(await cache.getBuffer('page:/none')).toBeUndefined();
    await cache.setBuffer('page:/short', Buffer.from('x'), { ttlMs: 150 });
    expect(await cache.getBuffer('page:/short')).toEqual(Buffer.from('x'));
    await new Promise((r) => setTimeout(r, 250));
    expect(await cache.getBuffer('page:/short')).toBeUndefined();
    expect(await cache.deleteByTag('article:9')).toBe(1);
    expect(await cache.getBuffer('page:/raw')).toBeUndefined();
  });

  it('one entry, two views: a JSON value read as bytes is its JSON text, bytes read as JSON are parsed', async () => {
    const { cache } = ctx;
    await cache.set('j', { a: '中' });
    expect((await cache.getBuffer('j'))?.toString('utf8')).toBe('{"a":"中"}');
    await cache.setBuffer('b', Buffer.from('[1,2]'));
    expect(await cache.get('b')).toEqual([1, 2]);
    // Overwriting with the other kind replaces the value.
    await cache.set('b', 'now json');
    expect(await cache.get('b')).toBe('now json');
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

  it('is bounded by bytes: the least recently used entries go, and their tags with them', async () => {
    const cache = createMemoryCache({ maxBytes: 256 * 1024 });
    const page = Buffer.alloc(25 * 1024, 'p');
    for (let i = 0; i < 40; i++) {
      await cache.setBuffer(`page:/${i}`, page, { tags: ['lists', `article:${i}`] });
      expect(cache.bytes).toBeLessThanOrEqual(256 * 1024);
    }
    // 40 pages of 25 KB do not fit in 256 KB: about ten of the newest are kept.
    const kept: number[] = [];
    for (let i = 0; i < 40; i++) if ((await cache.getBuffer(`page:/${i}`)) !== undefined) kept.push(i);
    expect(kept.length).toBeGreaterThanOrEqual(8);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 40 - kept.length + k));
    // The evicted entries left no tag behind: dropping the tag counts only what is still there.
    expect(await cache.deleteByTag('article:0')).toBe(0);
    expect(await cache.deleteByTag('lists')).toBe(kept.length);
    expect(cache.bytes).toBe(0);
  });

  it('counts JSON values by their size too, and keeps nothing larger than the whole bound', async () => {
    const cache = createMemoryCache({ maxBytes: 64 * 1024 });
    await cache.set('big', 'x'.repeat(100 * 1024), { tags: ['t'] });
    expect(await cache.get('big')).toBeUndefined();
    expect(cache.bytes).toBe(0);
    await cache.set('small', { list: 'y'.repeat(1000) });
    expect(cache.bytes).toBeGreaterThan(2000);
    expect(cache.bytes).toBeLessThan(4000);
    expect(await cache.deleteByTag('t')).toBe(0);
  });
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
