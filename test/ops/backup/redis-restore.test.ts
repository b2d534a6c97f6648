import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { backupSandbox, jsonOf } from '../../support/backup-env.js';
import { serviceUrls } from '../../support/services.js';
import { createRedisRestore } from '../../../src/adapters/process/redis-restore.js';
import { freePort } from '../../support/spawn.js';

const redisUp = inject('services').find((s) => s.name === 'redis')?.available === true;

interface RestoreJson {
  restored: { redis: { restored: number; removed: number } | null };
  cacheCleared: number | null;
}

/** Against the shared Redis: this suite's keys live under a prefix of their own, and one key outside it is ours too. */
describe.skipIf(!redisUp)('backup:restore --with-redis', () => {
  const tag = randomBytes(6).toString('hex');
  const prefix = `inkstone-test-${tag}:`;
  const outside = `other-app-${tag}`;
  const k = (name: string) => `${prefix}${name}`;
  let tdb: TestDatabase;
  let box: ReturnType<typeof backupSandbox>;
  let redis: Redis;
  let setId: string;
  const binary = randomBytes(64);

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    box = backupSandbox(tdb.url, { REDIS_URL: serviceUrls.redis, REDIS_PREFIX: prefix });
    expect((await box.run(['migrate'])).code).toBe(0);
    redis = new Redis(serviceUrls.redis);
    await redis.set(k('sessions:abc'), 'user 1', 'EX', 600);
    await redis.set(k('cache:page'), binary);
    await redis.hset(k('rate:1.2.3.4'), { hits: '3', window: '60' });
    await redis.rpush(k('bull:default:wait'), 'job1', 'job2', 'job3');
    await redis.set(outside, 'before');
    setId = jsonOf<{ id: string }>(await box.run(['backup:run', '--only-db', '--with-redis', '--json'])).id;
  });

  afterAll(async () => {
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.del(outside);
      redis.disconnect();
    }
    await tdb?.drop();
    box?.remove();
  });

  it("puts back the blog's keys with their TTLs, removes the blog's keys the backup lacks, leaves others alone", async () => {
    await redis.set(k('sessions:abc'), 'someone else');
    await redis.del(k('rate:1.2.3.4'));
    await redis.rpush(k('bull:default:wait'), 'job4');
    await redis.set(k('sessions:new'), 'logged in after the backup');
    await redis.set(outside, 'after');

    const res = await box.run(['backup:restore', setId, '--only-db', '--with-redis', '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const restored = JSON.parse(res.stdout) as RestoreJson;
    expect(restored.restored.redis).toEqual({ restored: 4, removed: 1 });
    // The cache came back from the same moment as the database: kept.
    expect(restored.cacheCleared).toBeNull();

    expect(await redis.get(k('sessions:abc'))).toBe('user 1');
    const ttl = await redis.pttl(k('sessions:abc'));
    expect(ttl).toBeGreaterThan(500_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    expect(await redis.pttl(k('cache:page'))).toBe(-1);
    expect(await redis.getBuffer(k('cache:page'))).toEqual(binary);
    expect(await redis.hgetall(k('rate:1.2.3.4'))).toEqual({ hits: '3', window: '60' });
    expect(await redis.lrange(k('bull:default:wait'), 0, -1)).toEqual(['job1', 'job2', 'job3']);
    expect(await redis.exists(k('sessions:new'))).toBe(0);
    expect(await redis.get(outside)).toBe('after');
  });

  it("a database restore without --with-redis empties the blog's cache in Redis, and nothing else", async () => {
    // As the app's Redis cache writes them: an entry and its tag set (adapters/cache/redis-cache.ts).
    await redis.set(k('cache:page:/'), 'P2 a page rendered from the data before the restore');
    await redis.sadd(k('cache-tag:content'), 'page:/');
    await redis.set(k('sessions:kept'), 'still signed in');
    const res = await box.run(['backup:restore', setId, '--only-db', '--json']);
    expect(res.code).toBe(0);
    const restored = JSON.parse(res.stdout) as RestoreJson;
    expect(restored.restored.redis).toBeNull();
    expect(restored.cacheCleared).toBeGreaterThanOrEqual(1);
    expect(await redis.exists(k('cache:page:/'), k('cache-tag:content'))).toBe(0);
    expect(await redis.get(k('sessions:kept'))).toBe('still signed in');
    expect(await redis.get(outside)).not.toBeNull();

    const text = await box.run(['backup:restore', setId, '--only-db']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Shared cache emptied \(\d+ entr(y|ies)\)/);
  });

  it('a cache that cannot be reached leaves the restore done, and says to run cache:clear', async () => {
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const res = await box.run(['backup:restore', setId, '--only-db', '--json'], { REDIS_URL: nobody });
    expect(res.code).toBe(0);
    const restored = JSON.parse(res.stdout) as RestoreJson & { cacheError?: string };
    expect(restored.cacheCleared).toBeNull();
    expect(restored.cacheError).toMatch(/ECONNREFUSED|reached the max retries/i);
    const text = await box.run(['backup:restore', setId, '--only-db'], { REDIS_URL: nobody });
    expect(text.code).toBe(0);
    expect(text.stderr).toContain('the shared cache was not emptied');
    expect(text.stderr).toContain('run inkstone cache:clear');
  });

  it('refuses --with-redis for a set without a Redis snapshot', async () => {
    const plain = jsonOf<{ id: string }>(await box.run(['backup:run', '--only-db', '--json'])).id;
    const res = await box.run(['backup:restore', plain, '--with-redis']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`backup ${plain} holds no Redis snapshot`);
  });

  it('names the package when redis-server is missing, before touching anything', async () => {
    // A PATH with the other programs a restore needs, but no redis-server.
    const bin = mkdtempSync(join(tmpdir(), 'inkstone-bin-'));
    for (const tool of ['zstd', 'redis-cli']) {
      symlinkSync(execFileSync('which', [tool]).toString().trim(), join(bin, tool));
    }
    const path = process.env.PATH;
    await redis.set(k('sessions:new'), 'must survive');
    try {
      process.env.PATH = bin; // the spawn adapter looks programs up on the process PATH
      const res = await box.run(['backup:restore', setId, '--only-db', '--with-redis']);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('redis-server is not installed (Debian/Ubuntu: apt-get install redis-server)');
    } finally {
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
    }
    expect(await redis.get(k('sessions:new'))).toBe('must survive');
  });
});

describe.skipIf(!redisUp)('restoring a Redis snapshot that is not one', () => {
  it('says what redis-server said and leaves the live keys alone', async () => {
    const prefix = `inkstone-test-${randomBytes(6).toString('hex')}:`;
    const redis = new Redis(serviceUrls.redis);
    try {
      await redis.set(`${prefix}kept`, 'yes');
      const restore = createRedisRestore(serviceUrls.redis, prefix);
      await expect(restore.restore(Readable.from([Buffer.from('REDIS0009 but truncated')]))).rejects.toThrow(
        /redis-server could not load the snapshot: \[offset \d+\] Invalid object type/,
      );
      expect(await redis.get(`${prefix}kept`)).toBe('yes');
    } finally {
      await redis.del(`${prefix}kept`);
      redis.disconnect();
    }
  });
});
