import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInkstone } from '../support/cli.js';
import { createTestApp, waitFor, type TestApp } from '../support/app.js';
import { freePort } from '../support/spawn.js';

// `npm start` runs `serve --with-worker --with-scheduler`: the embedded default, every role in one process.
describe('serve --with-worker --with-scheduler', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it('serves HTTP, works the queue and runs the schedule, then stops on SIGTERM with exit 0', async () => {
    const port = await freePort();
    await t.app.queue.enqueue({ name: 'queue:heartbeat', payload: {}, queue: 'mail' });
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    const serving = runInkstone(['serve', `--port=${port}`, '--with-worker', '--with-scheduler'], {
      env: { ...t.env, LOG_LEVEL: 'warn' },
      stop: stopped,
    });
    await waitFor(
      'the web role',
      async () => (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null))?.ok === true,
    );
    await waitFor(
      'the worker to take the queued job',
      async () =>
        (await t.app.db.primary.selectFrom('jobs').select('id').where('queue', '=', 'mail').execute()).length === 0,
    );
    await waitFor('the scheduler to run this minute', async () => {
      const runs = await t.app.scheduleRuns.between(new Date(Date.now() - 120_000), new Date(Date.now() + 60_000));
      return runs.some((r) => r.task === 'articles:publish-due' && r.outcome === 'ok');
    });
    stop();
    const result = await serving;
    expect(result.code).toBe(0);
  });
});

describe('schedule:work', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
  });
  afterAll(async () => t?.close());

  it("runs this minute's tasks and stops on SIGTERM with exit 0", async () => {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    const running = runInkstone(['schedule:work'], { env: { ...t.env, LOG_LEVEL: 'info' }, stop: stopped });
    await waitFor('the every-minute tasks of this minute', async () => {
      const runs = await t.app.scheduleRuns.between(new Date(Date.now() - 120_000), new Date(Date.now() + 60_000));
      return runs.filter((r) => r.outcome === 'ok').length >= 2;
    });
    stop();
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('scheduler started');
    const heartbeats = await t.app.db.primary.selectFrom('jobs').select('name').execute();
    expect(heartbeats.map((j) => j.name)).toContain('queue:heartbeat');
  });
});
