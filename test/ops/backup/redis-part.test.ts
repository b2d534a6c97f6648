import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { backupSandbox, jsonOf } from '../../support/backup-env.js';
import { serviceUrls } from '../../support/services.js';
import { loadConfig } from '../../../src/config/index.js';
import { createBackupDeps } from '../../../src/app.js';
import { createLogger } from '../../../src/adapters/log/logger.js';
import { readCatalog } from '../../../src/ops/backup/catalog.js';
import { openPart } from '../../../src/ops/backup/part-store.js';

const redisUp = inject('services').find((s) => s.name === 'redis')?.available === true;

describe.skipIf(!redisUp)('backup:run --with-redis', () => {
  let tdb: TestDatabase;
  let box: ReturnType<typeof backupSandbox>;
  let redis: Redis;
  const key = `inkstone-test:${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    tdb = await createTestDatabase('sqlite');
    box = backupSandbox(tdb.url, { REDIS_URL: serviceUrls.redis });
    expect((await box.run(['migrate'])).code).toBe(0);
    redis = new Redis(serviceUrls.redis);
    await redis.set(key, 'queued job payload', 'EX', 300);
  });

  afterAll(async () => {
    await redis?.del(key);
    redis?.disconnect();
    await tdb?.drop();
    box?.remove();
  });

  it('adds an encrypted RDB snapshot that holds the live keys', async () => {
    const out = jsonOf<{ id: string; parts: { name: string }[] }>(
      await box.run(['backup:run', '--only-db', '--with-redis', '--json']),
    );
    expect(out.parts.map((p) => p.name)).toContain('redis.rdb.zst.enc');

    const config = loadConfig({ env: { APP_ENV: 'test', ...box.env }, cwd: box.dir, envFile: '/dev/null' });
    const deps = createBackupDeps(config, createLogger({ ...config, log: { level: 'silent' } }));
    const entry = (await readCatalog(deps)).find((e) => e.manifest.id === out.id)!;
    const part = entry.manifest.parts.find((p) => p.kind === 'redis')!;
    const stored = await deps.codec.keyFor(config.backup.password, entry.manifest.encryption!, out.id);
    const chunks: Buffer[] = [];
    for await (const c of await openPart(deps, entry.on[0]!, out.id, part, stored)) chunks.push(c as Buffer);
    const rdb = Buffer.concat(chunks);
    expect(rdb.subarray(0, 5).toString()).toBe('REDIS');
    expect(rdb.includes(Buffer.from(key))).toBe(true);
  });

  it('says so when REDIS_URL is not set', async () => {
    const res = await box.run(['backup:run', '--only-db', '--with-redis'], { REDIS_URL: undefined });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('--with-redis needs REDIS_URL');
  });
});
