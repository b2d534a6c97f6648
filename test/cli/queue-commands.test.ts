import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runInkstone } from '../support/cli.js';
import { createTestApp, redisTestPrefix, type TestApp } from '../support/app.js';

// The operator's queue commands through the CLI, on both drivers. The failing job is a real one: a comment
// notification whose payload is invalid fails every try.
const redis = inject('services').find((s) => s.name === 'redis');
const drivers: {
  name: string;
  available: boolean;
  env: () => { env: Record<string, string>; clean(): Promise<void> };
}[] = [
  {
    name: 'database',
    available: true,
    env: () => ({ env: { QUEUE_DRIVER: 'database' }, clean: () => Promise.resolve() }),
  },
  {
    name: 'bullmq',
    available: redis?.available ?? false,
    env: () => {
      const keys = redisTestPrefix();
      return {
        env: { QUEUE_DRIVER: 'redis', REDIS_URL: keys.url, REDIS_PREFIX: keys.prefix },
        clean: () => keys.clean(),
      };
    },
  },
];

for (const driver of drivers) {
  describe.skipIf(!driver.available)(`queue commands [${driver.name}]`, () => {
    let t: TestApp;
    let extra: { env: Record<string, string>; clean(): Promise<void> };
    const cli = (...args: string[]) => runInkstone(args, { env: { ...t.env } });
    const bad = () =>
      t.app.queue.enqueue({ name: 'comments:notify-author', payload: { commentId: 'x' }, queue: 'mail' });

    beforeAll(async () => {
      extra = driver.env();
      t = await createTestApp('sqlite', extra.env);
    });
    afterAll(async () => {
      await t?.close();
      await extra?.clean();
    });

    it('3 failing tries make exactly one failed job; retry all re-runs it; flush empties failed jobs', async () => {
      await bad();
      const work = ['queue:work', '--queue=mail', '--max-jobs=1', '--sleep=0.05', '--backoff=0'];
      expect(await cli(...work)).toMatchObject({ code: 0 });

      const listed = await cli('queue:failed', '--json');
      expect(listed.code).toBe(0);
      const failed = JSON.parse(listed.stdout) as {
        id: string;
        queue: string;
        name: string;
        attempts: number;
        error: string;
        stack: string;
        payload: unknown;
      }[];
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        queue: 'mail',
        name: 'comments:notify-author',
        attempts: 3,
        payload: { commentId: 'x' },
      });
      expect(failed[0]!.error).toBe('expected a payload like {"commentId": 12}');
      expect(failed[0]!.stack).toContain('src/jobs/index.ts');
      const table = await cli('queue:failed');
      expect(table.stdout).toMatch(/ID\s+Queue\s+Job\s+Tries\s+Failed at\s+Error/);
      expect(table.stdout).toContain('comments:notify-author');

      const stats = JSON.parse((await cli('queue:stats', '--json')).stdout) as {
        queues: { queue: string; failed: number; failedPerMinute: number }[];
      };
      expect(stats.queues.find((q) => q.queue === 'mail')).toMatchObject({ failed: 1, failedPerMinute: 0.02 });

      expect(await cli('queue:retry', 'all')).toMatchObject({
        code: 0,
        stdout: 'Pushed 1 failed job(s) back on their queue.\n',
      });
      expect(JSON.parse((await cli('queue:failed', '--json')).stdout)).toEqual([]);
      expect(await cli(...work)).toMatchObject({ code: 0 });
      const again = JSON.parse((await cli('queue:failed', '--json')).stdout) as { attempts: number }[];
      expect(again).toHaveLength(1);
      expect(again[0]!.attempts).toBe(3);

      expect(await cli('queue:flush')).toMatchObject({ code: 0, stdout: 'Deleted 1 failed job(s).\n' });
      expect(await cli('queue:failed')).toMatchObject({ code: 0, stdout: 'No failed jobs.\n' });
    });

    it('retry and forget by id; an unknown id exits 1 with one line', async () => {
      await bad();
      await cli('queue:work', '--queue=mail', '--max-jobs=1', '--sleep=0.05', '--backoff=0', '--tries=1');
      const [only] = JSON.parse((await cli('queue:failed', '--json')).stdout) as { id: string }[];
      expect(await cli('queue:retry', 'nope-1')).toMatchObject({
        code: 1,
        stderr: 'inkstone: no failed job with id nope-1\n',
      });
      expect(await cli('queue:forget', 'nope-1')).toMatchObject({
        code: 1,
        stderr: 'inkstone: no failed job with id nope-1\n',
      });
      expect(await cli('queue:forget', only!.id)).toMatchObject({
        code: 0,
        stdout: `Deleted failed job ${only!.id}.\n`,
      });
      expect(JSON.parse((await cli('queue:failed', '--json')).stdout)).toEqual([]);
    });

    it('queue:monitor exits 0 under the thresholds and 1 with a warning over them', async () => {
      expect(await cli('queue:monitor', 'default:5,mail:5')).toMatchObject({ code: 0 });
      await t.app.queue.enqueue({ name: 'queue:heartbeat', payload: {} });
      await t.app.queue.enqueue({ name: 'queue:heartbeat', payload: {} });
      const over = await cli('queue:monitor', 'default:1', '--json');
      expect(over.code).toBe(1);
      expect(JSON.parse(over.stdout)).toMatchObject({
        ok: false,
        queues: [{ queue: 'default', ok: false, waiting: 2, max: 1 }],
      });
      expect(over.stderr).toContain('"level":40');
      expect(over.stderr).toContain('queue alert: default has 2 jobs waiting (max 1)');
      const stats = await cli('queue:stats');
      expect(stats.stdout).toMatch(
        /Queue\s+Waiting\s+Active\s+Delayed\s+Failed\s+Done\/min\s+Failed\/min\s+Oldest waiting/,
      );
      expect(stats.stdout).toMatch(/default\s+2\s+0\s+0/);
      expect(await cli('queue:work', '--queue=default', '--max-jobs=2', '--sleep=0.05')).toMatchObject({ code: 0 });
      expect(await cli('queue:monitor', 'default:1')).toMatchObject({ code: 0 });
    });

    it('queue:work stops on SIGTERM with exit 0', async () => {
      let stop: () => void = () => undefined;
      const stopped = new Promise<void>((r) => (stop = r));
      const running = runInkstone(['queue:work', '--sleep=0.05'], {
        env: { ...t.env, LOG_LEVEL: 'info' },
        stop: stopped,
      });
      await new Promise((r) => setTimeout(r, 300));
      stop();
      const result = await running;
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('queue worker stopped');
      expect(result.stdout).toContain('"stoppedBy":"signal"');
    });
  });
}

describe('queue commands: bad input', () => {
  const cases: [string[], RegExp][] = [
    [['queue:work', '--concurrency=0'], /--concurrency expects a whole number of at least 1/],
    [['queue:work', '--backoff=soon'], /--backoff expects seconds/],
    [['queue:work', '--queue=bad name'], /--queue expects names/],
    [['queue:work', '--sleep=-1'], /--sleep expects a number of seconds/],
    [['queue:monitor', 'default=100'], /expected queue:max pairs/],
    [['queue:flush', '--hours=soon'], /--hours expects a whole number/],
    [['queue:retry'], /missing required argument/],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ')} exits 2 with one line`, async () => {
      const r = await runInkstone(args, { env: { DATABASE_URL: 'sqlite::memory:' } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }

  it('every queue and schedule command has --help', async () => {
    for (const cmd of [
      'queue:work',
      'queue:failed',
      'queue:retry',
      'queue:forget',
      'queue:flush',
      'queue:stats',
      'queue:monitor',
      'schedule:work',
      'schedule:list',
      'session:gc',
      'log:clear',
      'cache:clear',
    ]) {
      const r = await runInkstone([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain(`Usage: inkstone ${cmd}`);
    }
  });

  it('QUEUE_DRIVER=redis without REDIS_URL is a configuration error (exit 2)', async () => {
    const r = await runInkstone(['queue:stats'], { env: { QUEUE_DRIVER: 'redis', DATABASE_URL: 'sqlite::memory:' } });
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toContain('QUEUE_DRIVER');
  });
});
