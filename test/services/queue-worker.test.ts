import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, waitFor, type TestApp } from '../support/app.js';
import { ManualClock } from '../support/manual-clock.js';
import { startWorker } from '../../src/services/queue-worker.js';
import { parseBackoff } from '../../src/domain/backoff.js';

describe('queue worker --max-time (manual clock)', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
  beforeAll(async () => {
    t = await createTestApp('sqlite', {}, { clock });
  });
  afterAll(async () => t?.close());

  it('stops by itself once --max-time has passed, so a supervisor can start a fresh process', async () => {
    const worker = startWorker({
      driver: t.app.queue,
      handlers: t.app.jobs,
      clock,
      logger: t.app.logger,
      options: {
        queues: ['default'],
        concurrency: 2,
        sleepMs: 3000,
        tries: 3,
        backoff: parseBackoff('1')!,
        timeoutMs: 60_000,
        maxTimeMs: 3_600_000,
        workerId: 'w',
      },
    });
    let result: unknown;
    void worker.done.then((r) => (result = r));
    await clock.advance(3_590_000, 3000);
    expect(result).toBeUndefined();
    await clock.advance(20_000, 3000);
    await waitFor('the worker to stop', () => result !== undefined);
    expect(result).toEqual({ processed: 0, failed: 0, stoppedBy: 'max-time' });
  });
});
