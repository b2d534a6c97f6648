import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import { createTestApp, waitFor, type TestApp } from '../support/app.js';
import { PrivateRedis } from '../support/redis-server.js';
import { newJournal, testJobs } from '../adapters/queue/queue-behaviour.js';
import { startWorkerRole } from '../../src/jobs/worker-role.js';
import { parseBackoff } from '../../src/domain/backoff.js';
import type { RunningWorker } from '../../src/services/queue-worker.js';

// A BullMQ worker waiting on an empty queue while Redis dies and comes back (a known pain of BullMQ users):
// it must reconnect by itself and process the next job.
describe('Redis restarted under a waiting BullMQ worker', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let worker: RunningWorker;
  const journal = newJournal();

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await createTestApp(
      'sqlite',
      { QUEUE_DRIVER: 'redis', REDIS_URL: redis.url, LOG_LEVEL: 'silent' },
      { extraJobs: testJobs(() => journal) },
    );
    worker = startWorkerRole(t.app, {
      queues: ['default'],
      concurrency: 1,
      sleepMs: 1000,
      tries: 3,
      backoff: parseBackoff('0.1')!,
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
    await redis?.stop();
  });

  it('resumes after the restart and processes the next job', { timeout: 60_000 }, async () => {
    await t.app.queue.enqueue({ name: 'test:record', payload: { before: true } });
    await waitFor('the job before the restart', () => journal.ends.length === 1);
    await new Promise((r) => setTimeout(r, 500)); // the worker is now blocked waiting for work

    await redis.kill();
    await new Promise((r) => setTimeout(r, 2000));
    await redis.up(); // empty: no persistence, as after a crash of a cache-only Redis

    // The producer side reconnects too; enqueueing may need a moment while the connection comes back.
    await waitFor(
      'an enqueue after the restart',
      async () => {
        try {
          await t.app.queue.enqueue({ name: 'test:record', payload: { after: true } });
          return true;
        } catch {
          return false;
        }
      },
      20_000,
    );
    await waitFor('the job after the restart', () => journal.ends.length === 2, 30_000);
    expect(journal.starts.map((s) => s.payload)).toEqual([{ before: true }, { after: true }]);
  });
});
