import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.js';
import { PrivateRedis } from '../support/redis-server.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { createTestDatabase, dialectAvailability } from '../support/databases.js';
import { runInkstone } from '../support/cli.js';
import { json } from '../support/json.js';

// "within 2 s" is the requirement itself: each probe aborts after 2 s, so a slower answer fails the test.
const within2s = (url: string) => fetch(url, { signal: AbortSignal.timeout(2000) });

async function eventually(fn: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('GET /health', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('reports each check with its duration, version and timestamp (200 when all pass)', async () => {
    const t = await startTestApp();
    cleanups.push(() => t.close());
    const res = await within2s(`${t.url}/health`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      status: 'healthy',
      checks: { database: { status: 'ok' }, disk: { status: 'ok' } },
      version: expect.any(String),
    });
    expect(typeof body.checks.database.ms).toBe('number');
    expect(new Date(body.timestamp).getTime()).toBeGreaterThan(0);
  });

  it('disk fails under HEALTH_MIN_FREE_DISK_MB', async () => {
    const t = await startTestApp({ HEALTH_MIN_FREE_DISK_MB: String(1024 * 1024 * 1024) });
    cleanups.push(() => t.close());
    const res = await within2s(`${t.url}/health`);
    expect(res.status).toBe(503);
    expect((await json(res)).checks.disk).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('MB free'),
    });
  });

  it('Redis stopped: 503 with redis failing within 2 s, pages still served, 200 again when it returns', async () => {
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.stop());
    const t = await startTestApp({ REDIS_URL: redis.url });
    cleanups.push(() => t.close());
    await eventually(async () => (await within2s(`${t.url}/health`)).status === 200, 5000);

    await redis.kill();
    const down = await within2s(`${t.url}/health`);
    expect(down.status).toBe(503);
    const body = await json(down);
    expect(body.status).toBe('unhealthy');
    expect(body.checks.redis.status).toBe('fail');
    expect(body.checks.database.status).toBe('ok');
    expect((await within2s(`${t.url}/health/live`)).status).toBe(200);

    await redis.up();
    await eventually(async () => (await within2s(`${t.url}/health`)).status === 200, 10_000);
  });

  it.skipIf(!dialectAvailability('postgres').available)(
    'database hung (a black-holed connection): /health and /health/ready answer 503 within 2 s',
    async () => {
      const pgDb = await createTestDatabase('postgres');
      const proxy = await startTcpProxy('127.0.0.1', 5432);
      const u = new URL(pgDb.url);
      u.port = String(proxy.port);
      const t = await startTestApp({ DATABASE_URL: u.toString(), HEALTH_CHECK_TIMEOUT_MS: '500' });
      try {
        expect((await within2s(`${t.url}/health`)).status).toBe(200);

        proxy.hang();
        const res = await within2s(`${t.url}/health`);
        expect(res.status).toBe(503);
        expect((await json(res)).checks.database).toMatchObject({ status: 'fail', detail: 'no answer within 500 ms' });
        expect((await within2s(`${t.url}/health/ready`)).status).toBe(503);
        expect((await within2s(`${t.url}/health/live`)).status).toBe(200);
      } finally {
        // Cutting the proxy's sockets fails the hung queries, which lets the pool close.
        await proxy.close();
        await t.close();
        await pgDb.drop();
      }
    },
  );
});

describe('inkstone health', () => {
  it('prints the checks and exits 0 when healthy, 1 with the failing checks named when not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-health-'));
    const env = {
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      STORAGE_DIR: dir,
      HEALTH_MIN_FREE_DISK_MB: '1',
      LOG_CHANNELS: 'stdout',
    };
    try {
      const unmigrated = await runInkstone(['health', '--json'], { env });
      expect(unmigrated.code).toBe(1);
      expect(JSON.parse(unmigrated.stdout).checks.queue.status).toBe('fail');
      expect((await runInkstone(['migrate'], { env })).code).toBe(0);
      const ok = await runInkstone(['health'], { env });
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^healthy/);
      expect(ok.stdout).toMatch(/✓ database/);
      expect(ok.stdout).toMatch(/✓ queue +\d+ ms +0 waiting/);
      expect(ok.stdout).toMatch(/✓ scheduler .*no scheduler has run/);
      const bad = await runInkstone(['health', '--json'], { env: { ...env, REDIS_URL: 'redis://127.0.0.1:1' } });
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stdout).checks.redis.status).toBe('fail');
      expect(bad.stderr).toContain('unhealthy: redis');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
