import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, type TestApp } from '../support/app.js';

describe('queue, scheduler and backup signals in /health, alerts and /metrics', () => {
  let t: TestApp;
  let storage: string;
  beforeAll(async () => {
    storage = mkdtempSync(join(tmpdir(), 'inkstone-signals-'));
    t = await createTestApp('sqlite', {
      APP_ENV: 'production',
      APP_KEY: 'k'.repeat(40),
      STORAGE_DIR: storage,
      HEALTH_MIN_FREE_DISK_MB: '1',
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('a stale scheduler heartbeat and a missing backup make /health unhealthy, each naming why', async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const id = await t.app.scheduleRuns.claim({
      task: 'queue:heartbeat',
      slotAt: tenMinutesAgo,
      owner: 'test',
      startedAt: tenMinutesAgo,
      outcome: 'running',
    });
    await t.app.scheduleRuns.finish(id as number, 'ok', tenMinutesAgo, 'queued');
    const report = await t.app.health();
    expect(report.status).toBe('unhealthy');
    expect(report.checks.scheduler).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('is schedule:work running?'),
    });
    expect(report.checks.backups).toMatchObject({ status: 'fail', detail: 'no backup found' });
    expect(report.checks.queue).toMatchObject({ status: 'ok' });
  });

  it('the backup alert fires in production, and the gauges are on /metrics', async () => {
    const events = await t.app.alerts.evaluate();
    expect(events.filter((e) => e.state === 'firing').map((e) => e.rule)).toContain('backup_too_old');
    await t.app.queue.enqueue({ name: 'queue:heartbeat', payload: {}, queue: 'default' });
    const text = await t.app.metrics.text();
    expect(text).toMatch(/inkstone_queue_jobs\{queue="default",state="waiting"\} 1/);
    expect(text).toMatch(/inkstone_schedule_last_run_age_seconds\{task="queue:heartbeat"\} \d+/);
  });
});
