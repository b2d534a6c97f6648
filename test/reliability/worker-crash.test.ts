import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import type { Dialect } from '../../src/config/index.js';
import { describeEachDialect } from '../support/databases.js';
import { createTestApp, redisTestPrefix, waitFor, type TestApp } from '../support/app.js';
import { spawnTs, type Spawned } from '../support/processes.js';

interface RunRow {
  job_key: string;
  pid: number;
  started_ms: number;
  ended_ms: number | null;
}

const JOBS = 6;

/**
 * A worker killed with SIGKILL mid-job: its jobs run again on the workers that remain and complete. None is
 * lost, and none runs twice at once (a reserved/locked job is not handed out while its worker lives).
 */
function crashSuite(
  dialect: Dialect,
  driverEnv: () => Promise<{ env: Record<string, string>; clean(): Promise<void> }>,
) {
  let t: TestApp;
  let extra: { env: Record<string, string>; clean(): Promise<void> };
  const children: Spawned[] = [];

  beforeAll(async () => {
    extra = await driverEnv();
    t = await createTestApp(dialect, { QUEUE_RETRY_AFTER: '3', QUEUE_TIMEOUT: '2', ...extra.env });
    await sql`create table test_runs (job_key varchar(64) not null, pid integer not null, started_ms bigint not null, ended_ms bigint)`.execute(
      t.app.db.primary,
    );
  });
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await t?.close();
    await extra?.clean();
  });

  const runs = async (): Promise<RunRow[]> => {
    const { rows } = await sql<RunRow>`select job_key, pid, started_ms, ended_ms from test_runs`.execute(
      t.app.db.primary,
    );
    return rows.map((r) => ({
      ...r,
      pid: Number(r.pid),
      started_ms: Number(r.started_ms),
      ended_ms: r.ended_ms === null ? null : Number(r.ended_ms),
    }));
  };
  const worker = () => {
    const w = spawnTs('test/fixtures/worker-process.ts', {
      ...t.env,
      QUEUE_RETRY_AFTER: '3',
      QUEUE_TIMEOUT: '2',
      ...extra.env,
    });
    children.push(w);
    return w;
  };

  it(
    're-runs the jobs of a killed worker to completion, each exactly once among the living',
    { timeout: 60_000 },
    async () => {
      for (let i = 1; i <= JOBS; i++)
        await t.app.queue.enqueue({ name: 'test:tracked', payload: { key: `job-${i}`, ms: 700 } });
      const doomed = worker();
      await waitFor(
        'the first worker to start a job',
        async () => (await runs()).some((r) => r.pid === doomed.child.pid),
        20_000,
      );
      doomed.child.kill('SIGKILL');
      expect((await doomed.exited).signal).toBe('SIGKILL');
      const killedAt = Date.now();

      const survivors = [worker(), worker()];
      await waitFor(
        'every job to complete',
        async () => new Set((await runs()).filter((r) => r.ended_ms !== null).map((r) => r.job_key)).size === JOBS,
        40_000,
      );
      for (const s of survivors) s.child.kill('SIGTERM');
      for (const s of survivors) expect((await s.exited).code, s.output()).toBe(0);

      const all = await runs();
      const killed = all.filter((r) => r.pid === doomed.child.pid);
      const living = all.filter((r) => r.pid !== doomed.child.pid);
      expect(killed.length).toBeGreaterThan(0);
      expect(killed.every((r) => r.ended_ms === null && r.started_ms <= killedAt)).toBe(true);
      // Every job ran to its end exactly once among the workers that lived, and never twice at the same time.
      for (let i = 1; i <= JOBS; i++) {
        const mine = living.filter((r) => r.job_key === `job-${i}`);
        expect(mine, `job-${i}`).toHaveLength(1);
        expect(mine[0]!.ended_ms).not.toBeNull();
      }
      const stats = await t.app.queue.counts();
      expect(stats.find((q) => q.queue === 'default')).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
      expect(await t.app.queue.listFailed()).toEqual([]);
    },
  );
}

describeEachDialect('SIGKILL mid-job, database driver', (dialect) => {
  crashSuite(dialect, () => Promise.resolve({ env: { QUEUE_DRIVER: 'database' }, clean: () => Promise.resolve() }));
});

const redis = inject('services').find((s) => s.name === 'redis');
describe.skipIf(!redis?.available)(
  `SIGKILL mid-job, bullmq driver${redis?.available ? '' : ` (skipped: ${redis?.reason})`}`,
  () => {
    crashSuite('sqlite', () => {
      const keys = redisTestPrefix();
      return Promise.resolve({
        env: { QUEUE_DRIVER: 'redis', REDIS_URL: keys.url, REDIS_PREFIX: keys.prefix },
        clean: () => keys.clean(),
      });
    });
  },
);
