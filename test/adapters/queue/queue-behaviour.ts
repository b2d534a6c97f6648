import { afterAll, beforeAll, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import type { JobHandler } from '../../../src/jobs/handlers.js';
import { startWorker, type WorkerOptions, type RunningWorker } from '../../../src/services/queue-worker.js';
import { parseBackoff } from '../../../src/domain/backoff.js';
import { waitFor } from '../../support/app.js';

/** What the test jobs saw; reset per test. */
export interface Journal {
  starts: { job: string; id: string; attempt: number; at: number; payload: unknown }[];
  ends: { id: string; at: number }[];
  running: number;
  maxRunning: number;
  failUntilAttempt: number;
}

export function newJournal(): Journal {
  return { starts: [], ends: [], running: 0, maxRunning: 0, failUntilAttempt: Number.POSITIVE_INFINITY };
}

/** Test job kinds, handed to createApp as extraJobs: they record what happened into the journal. */
export function testJobs(journal: () => Journal): Map<string, JobHandler> {
  const track =
    (body: (payload: unknown, attempt: number, signal: AbortSignal) => Promise<void>): JobHandler =>
    async (payload, { job, signal }) => {
      const j = journal();
      j.starts.push({ job: job.name, id: job.id, attempt: job.attempt, at: Date.now(), payload });
      j.running += 1;
      j.maxRunning = Math.max(j.maxRunning, j.running);
      try {
        await body(payload, job.attempt, signal);
        j.ends.push({ id: job.id, at: Date.now() });
      } finally {
        j.running -= 1;
      }
    };
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  return new Map<string, JobHandler>([
    ['test:record', track(() => Promise.resolve())],
    ['test:sleep', track(async (p, _a, signal) => sleep((p as { ms: number }).ms, signal))],
    [
      'test:flaky',
      track((_p, attempt) =>
        attempt < journal().failUntilAttempt
          ? Promise.reject(new Error(`flaky failure on try ${attempt}`))
          : Promise.resolve(),
      ),
    ],
    ['test:hang', track(() => new Promise(() => {}))],
  ]);
}

/**
 * The queue behaviour both drivers must show, run through the worker service as `queue:work` runs it.
 * `open` makes an app whose extraJobs are testJobs(() => journal).
 */
export function queueBehaviour(open: (journal: () => Journal) => Promise<{ app: App; close(): Promise<void> }>): void {
  let journal = newJournal();
  let ctx: { app: App; close(): Promise<void> };
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    ctx = await open(() => journal);
  });
  afterAll(async () => {
    await worker?.stop();
    await ctx?.close();
  });

  async function fresh(options: Partial<WorkerOptions> = {}): Promise<RunningWorker> {
    await worker?.stop();
    await ctx.app.queue.flushFailed();
    journal = newJournal();
    worker = startWorker({
      driver: ctx.app.queue,
      handlers: ctx.app.jobs,
      clock: ctx.app.clock,
      logger: ctx.app.logger,
      options: {
        queues: ['default', 'mail'],
        concurrency: 1,
        sleepMs: 50,
        tries: 3,
        backoff: parseBackoff('0.05')!,
        timeoutMs: 5000,
        workerId: 'test-worker',
        ...options,
      },
    });
    return worker;
  }

  it('runs a job with its payload once, then it is gone from the queue', async () => {
    await fresh();
    const id = await ctx.app.queue.enqueue({ name: 'test:record', payload: { hello: 'world', n: [1, 2] } });
    await waitFor('the job to run', () => journal.ends.length === 1);
    expect(journal.starts).toEqual([
      expect.objectContaining({ id, attempt: 1, payload: { hello: 'world', n: [1, 2] } }),
    ]);
    await waitFor('the counts to settle', async () => {
      const c = (await ctx.app.queue.counts()).find((q) => q.queue === 'default');
      return c !== undefined && c.waiting === 0 && c.active === 0 && c.processedLastHour >= 1;
    });
    const c = (await ctx.app.queue.counts()).find((q) => q.queue === 'default')!;
    expect(c).toMatchObject({
      waiting: 0,
      active: 0,
      delayed: 0,
      failed: 0,
      processedLastHour: 1,
      oldestWaitingMs: null,
    });
    expect(journal.starts).toHaveLength(1);
  });

  it('fails 3 tries into exactly one failed job with error, stack, payload and queue; retry all re-runs it; flush empties', async () => {
    await fresh();
    await ctx.app.queue.enqueue({ name: 'test:flaky', payload: { order: 7 }, queue: 'mail' });
    await waitFor('the job to land in failed jobs', async () => (await ctx.app.queue.listFailed()).length === 1);
    expect(journal.starts.map((s) => s.attempt)).toEqual([1, 2, 3]);
    const [failed] = await ctx.app.queue.listFailed();
    expect(failed).toMatchObject({ queue: 'mail', name: 'test:flaky', payload: { order: 7 }, attempts: 3 });
    expect(failed!.error).toBe('flaky failure on try 3');
    expect(failed!.stack).toContain('flaky failure on try 3');
    expect(Date.now() - failed!.failedAt.getTime()).toBeLessThan(60_000);
    await waitFor(
      'failed count',
      async () => (await ctx.app.queue.counts()).find((q) => q.queue === 'mail')?.failed === 1,
    );
    const mail = (await ctx.app.queue.counts()).find((q) => q.queue === 'mail')!;
    expect(mail.failedLastHour).toBe(1);

    journal.failUntilAttempt = 0; // the cause is fixed: the next try succeeds
    expect(await ctx.app.queue.retryFailed('all')).toEqual([failed!.id]);
    await waitFor('the retried job to succeed', () => journal.ends.length === 1);
    expect(journal.starts.at(-1)).toMatchObject({ attempt: 1, payload: { order: 7 } });
    expect(await ctx.app.queue.listFailed()).toEqual([]);

    journal.failUntilAttempt = Number.POSITIVE_INFINITY;
    await ctx.app.queue.enqueue({ name: 'test:flaky', payload: {}, maxAttempts: 1 });
    await waitFor('a second failed job', async () => (await ctx.app.queue.listFailed()).length === 1);
    expect(await ctx.app.queue.flushFailed()).toBe(1);
    expect(await ctx.app.queue.listFailed()).toEqual([]);
  });

  it("a job's own maxAttempts wins over the worker's tries; an unknown job fails at once", async () => {
    await fresh({ tries: 5 });
    await ctx.app.queue.enqueue({ name: 'test:flaky', payload: {}, maxAttempts: 2 });
    await ctx.app.queue.enqueue({ name: 'no-such-job', payload: { x: 1 } });
    await waitFor('both in failed jobs', async () => (await ctx.app.queue.listFailed()).length === 2);
    const failed = await ctx.app.queue.listFailed();
    expect(failed.find((f) => f.name === 'test:flaky')?.attempts).toBe(2);
    expect(failed.find((f) => f.name === 'no-such-job')).toMatchObject({
      attempts: 1,
      error: 'no handler for job "no-such-job"',
    });
    expect(journal.starts.filter((s) => s.job === 'test:flaky')).toHaveLength(2);
  });

  it('retries by id and forgets by id; unknown ids are reported as not found', async () => {
    await fresh();
    await ctx.app.queue.enqueue({ name: 'test:flaky', payload: { a: 1 }, maxAttempts: 1 });
    await ctx.app.queue.enqueue({ name: 'test:flaky', payload: { b: 2 }, maxAttempts: 1 });
    await waitFor('two failed jobs', async () => (await ctx.app.queue.listFailed()).length === 2);
    const [first, second] = await ctx.app.queue.listFailed();
    expect(await ctx.app.queue.forgetFailed(first!.id)).toBe(true);
    expect(await ctx.app.queue.forgetFailed(first!.id)).toBe(false);
    expect(await ctx.app.queue.retryFailed(['999999', 'nonsense', '99999999999999999999'])).toEqual([]);
    expect(await ctx.app.queue.forgetFailed('99999999999999999999')).toBe(false);
    journal.failUntilAttempt = 0;
    expect(await ctx.app.queue.retryFailed([second!.id])).toEqual([second!.id]);
    await waitFor('the retried job to run', () => journal.ends.length === 1);
    expect(journal.starts.at(-1)?.payload).toEqual({ b: 2 });
    expect(await ctx.app.queue.listFailed()).toEqual([]);
  });

  it('waits out a delay and the backoff between tries (with jitter)', async () => {
    await fresh({ backoff: parseBackoff('0.4')! });
    journal.failUntilAttempt = 2;
    const enqueuedAt = Date.now();
    await ctx.app.queue.enqueue({ name: 'test:flaky', payload: {}, delayMs: 600 });
    await new Promise((r) => setTimeout(r, 300));
    expect(journal.starts).toHaveLength(0);
    await waitFor('the second try to succeed', () => journal.ends.length === 1);
    const [first, second] = journal.starts;
    expect(first!.at - enqueuedAt).toBeGreaterThanOrEqual(550);
    // 0.4 s ±20 % jitter before try 2
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(300);
  });

  it('fails a try that outlives its timeout and tells the handler to stop', async () => {
    await fresh();
    await ctx.app.queue.enqueue({ name: 'test:hang', payload: {}, timeoutMs: 200, maxAttempts: 1 });
    await waitFor('the timed-out job in failed jobs', async () => (await ctx.app.queue.listFailed()).length === 1);
    const [failed] = await ctx.app.queue.listFailed();
    expect(failed!.error).toBe('the job ran longer than its timeout of 200 ms');
  });

  it('runs --concurrency jobs at once', async () => {
    await fresh({ concurrency: 4 });
    for (let i = 0; i < 8; i++) await ctx.app.queue.enqueue({ name: 'test:sleep', payload: { ms: 300 } });
    await waitFor('all eight to finish', () => journal.ends.length === 8, 15_000);
    expect(journal.maxRunning).toBe(4);
    expect(new Set(journal.starts.map((s) => s.id)).size).toBe(8);
  });

  it('on stop, finishes the job in hand and takes no new one', async () => {
    const w = await fresh();
    await ctx.app.queue.enqueue({ name: 'test:sleep', payload: { ms: 600 } });
    await ctx.app.queue.enqueue({ name: 'test:record', payload: { later: true } });
    await waitFor('the first job to start', () => journal.starts.length === 1);
    const result = await w.stop();
    expect(journal.ends).toHaveLength(1);
    expect(journal.starts).toHaveLength(1);
    expect(result).toMatchObject({ processed: 1, failed: 0, stoppedBy: 'signal' });
    const c = (await ctx.app.queue.counts()).find((q) => q.queue === 'default')!;
    expect(c).toMatchObject({ waiting: 1, active: 0 });
    await fresh();
    await waitFor('the second job to run after a restart', () => journal.ends.length === 1);
    expect(journal.starts[0]?.payload).toEqual({ later: true });
  });

  it('stops by itself after --max-jobs', async () => {
    const w = await fresh({ maxJobs: 2 });
    for (let i = 0; i < 3; i++) await ctx.app.queue.enqueue({ name: 'test:record', payload: { i } });
    const result = await w.done;
    expect(result).toMatchObject({ processed: 2, stoppedBy: 'max-jobs' });
    const c = (await ctx.app.queue.counts()).find((q) => q.queue === 'default')!;
    expect(c.waiting).toBe(1);
    expect(c.oldestWaitingMs).not.toBeNull();
    await fresh();
    await waitFor('the last job', () => journal.ends.length === 1);
  });
}
