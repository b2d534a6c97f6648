import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runInkstone } from '../support/cli.js';
import { createTestApp, redisTestPrefix, type TestApp } from '../support/app.js';
import { createRedisCache } from '../../src/adapters/cache/redis-cache.js';
import { pino } from 'pino';

describe('schedule:list, session:gc, log:clear, cache:clear', () => {
  let t: TestApp;
  let logDir: string;
  const cli = (args: string[], env: Record<string, string> = {}) => runInkstone(args, { env: { ...t.env, ...env } });

  beforeAll(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'inkstone-logs-'));
    t = await createTestApp('sqlite', { LOG_DIR: logDir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('schedule:list shows every task, its cron, next run in the time zone, and the last run', async () => {
    await t.app.scheduleRuns
      .claim({
        task: 'session:gc',
        slotAt: new Date('2026-01-01T10:00:00Z'),
        owner: 'test',
        startedAt: new Date('2026-01-01T10:00:01Z'),
        outcome: 'running',
      })
      .then((id) =>
        t.app.scheduleRuns.finish(
          id as number,
          'ok',
          new Date('2026-01-01T10:00:02Z'),
          'Deleted 0 expired session(s).',
        ),
      );
    const r = await cli(['schedule:list', '--json'], { SCHEDULE_TIMEZONE: 'Asia/Shanghai' });
    expect(r.code).toBe(0);
    const tasks = JSON.parse(r.stdout) as {
      task: string;
      cron: string;
      timezone: string;
      nextRunAt: string;
      lastRun: { outcome: string; output: string } | null;
    }[];
    expect(tasks.map((x) => [x.task, x.cron])).toEqual([
      ['articles:publish-due', '* * * * *'],
      ['queue:heartbeat', '* * * * *'],
      ['session:gc', '0 * * * *'],
      ['log:clear', '0 0 * * *'],
      ['db:optimize', '0 0 * * 0'],
      ['backup:run', '0 2 * * *'],
      ['backup:run --incremental --wait=1800', '0 */6 * * *'],
      ['backup:clean --wait=1800', '30 2 * * *'],
    ]);
    // Midnight in Shanghai is 16:00 UTC.
    expect(tasks.find((x) => x.task === 'log:clear')!.nextRunAt).toMatch(/T16:00:00\.000Z$/);
    expect(tasks.find((x) => x.task === 'session:gc')!.lastRun).toMatchObject({
      outcome: 'ok',
      output: 'Deleted 0 expired session(s).',
    });
    expect(tasks.find((x) => x.task === 'log:clear')!.lastRun).toBeNull();
    const table = await cli(['schedule:list']);
    expect(table.stdout).toMatch(/Task\s+Cron\s+Next run\s+Last run\s+Outcome/);
    expect(table.stdout).toMatch(/session:gc\s+0 \* \* \* \*\s+\S+\s+2026-01-01T10:00:01.000Z\s+ok/);
  });

  it('PostgreSQL (full backups only) has no 6-hourly incremental line', async () => {
    const pg = await createTestApp('postgres');
    try {
      const r = await runInkstone(['schedule:list', '--json'], { env: pg.env });
      expect(r.code, r.stderr).toBe(0);
      const tasks = (JSON.parse(r.stdout) as { task: string }[]).map((x) => x.task);
      expect(tasks).toContain('backup:run');
      expect(tasks.some((t) => t.startsWith('backup:run --incremental'))).toBe(false);
    } finally {
      await pg.close();
    }
  });

  it('rejects a bad SCHEDULE_TIMEZONE with exit 2', async () => {
    const r = await cli(['schedule:list'], { SCHEDULE_TIMEZONE: 'Mars/Olympus' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SCHEDULE_TIMEZONE');
  });

  it('session:gc deletes expired sessions only', async () => {
    const db = t.app.db.primary;
    const now = new Date();
    await db
      .insertInto('users')
      .values({
        email: 'gc@example.com',
        name: 'GC',
        role: 'admin',
        password_hash: 'x',
        bio: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'gc@example.com')
      .executeTakeFirstOrThrow();
    const session = (id: string, expires: number) => ({
      id,
      user_id: user.id,
      csrf_token: 'c',
      ip: null,
      user_agent: null,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + expires),
    });
    await db
      .insertInto('sessions')
      .values([session('old', -60_000), session('live', 3_600_000)])
      .execute();
    expect(await cli(['session:gc', '--json'])).toMatchObject({ code: 0, stdout: '{"deleted":1}\n' });
    expect((await db.selectFrom('sessions').select('id').execute()).map((s) => s.id)).toEqual(['live']);
  });

  it('log:clear deletes log files older than --days and nothing else', async () => {
    const old = Date.now() / 1000 - 20 * 86_400;
    for (const name of ['inkstone-2026-01-01.log', 'inkstone.log.1.gz', 'notes.txt']) {
      writeFileSync(join(logDir, name), 'x');
      utimesSync(join(logDir, name), old, old);
    }
    writeFileSync(join(logDir, 'inkstone-today.log'), 'x');
    const r = await cli(['log:clear', '--json']);
    expect(JSON.parse(r.stdout)).toEqual({ dir: logDir, deleted: ['inkstone-2026-01-01.log', 'inkstone.log.1.gz'] });
    expect(readdirSync(logDir).sort()).toEqual(['inkstone-today.log', 'notes.txt']);
    expect((await cli(['log:clear', '--days=0'])).code).toBe(2);
  });

  it('cache:clear says the in-process cache cannot be cleared from outside', async () => {
    const r = await cli(['cache:clear']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('in-process');
  });

  const redis = inject('services').find((s) => s.name === 'redis');
  it.skipIf(!redis?.available)('cache:clear empties the shared Redis cache of this blog', async () => {
    const keys = redisTestPrefix();
    const cache = createRedisCache({ url: keys.url, prefix: keys.prefix, logger: pino({ level: 'silent' }) });
    try {
      await cache.set('a', 1);
      await cache.set('b', 2, { tags: ['t'] });
      const r = await cli(['cache:clear', '--json'], { REDIS_URL: keys.url, REDIS_PREFIX: keys.prefix });
      expect(JSON.parse(r.stdout)).toEqual({ driver: 'redis', deleted: 2 });
      expect(await cache.get('a')).toBeUndefined();
    } finally {
      await cache.close();
      await keys.clean();
    }
  });
});
