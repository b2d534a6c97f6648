import { describe, expect, it } from 'vitest';
import { TrafficHistory } from '../../../src/ops/dashboard/traffic-history.js';
import { RecentRequests, type NotableRequest } from '../../../src/ops/dashboard/recent-requests.js';
import { readOverview } from '../../../src/ops/dashboard/overview.js';
import type { QueueDriver } from '../../../src/adapters/queue/queue-port.js';
import type { ScheduleRunStore } from '../../../src/adapters/db/repositories/schedule-runs.js';

describe('traffic history', () => {
  it('keeps a slot per minute for an hour, with request, 5xx and percentile figures', () => {
    let now = Date.UTC(2026, 10, 25, 12, 0, 10);
    const history = new TrafficHistory(60, () => now);
    for (let i = 0; i < 100; i++) history.record(200, i < 90 ? 3 : 400);
    history.record(503, 20);
    now += 60_000;
    history.record(200, 7);
    const s = history.summary();
    expect(s.minutes).toHaveLength(60);
    expect(s.minutes.at(-1)).toMatchObject({ at: '2026-11-25T12:01:00.000Z', requests: 1, errors: 0, p50Ms: 10 });
    expect(s.minutes.at(-2)).toMatchObject({ at: '2026-11-25T12:00:00.000Z', requests: 101, errors: 1 });
    expect(s.minutes.at(-2)!.p50Ms).toBe(5);
    expect(s.minutes.at(-2)!.p95Ms).toBe(500);
    expect(s.minutes.at(-3)).toMatchObject({ requests: 0, p50Ms: null });
    expect(s).toMatchObject({ requests: 102, errors: 1 });
    expect(s.errorRate).toBeCloseTo(1 / 102);
  });

  it('forgets minutes older than the hour, even when the slot is reused', () => {
    let now = Date.UTC(2026, 10, 25, 12, 0, 0);
    const history = new TrafficHistory(60, () => now);
    history.record(500, 1);
    now += 60 * 60_000;
    expect(history.summary()).toMatchObject({ requests: 0, errors: 0, p95Ms: null });
    history.record(200, 1);
    expect(history.summary()).toMatchObject({ requests: 1, errors: 0 });
  });
});

describe('recent requests', () => {
  const entry = (n: number): NotableRequest => ({
    at: new Date(n).toISOString(),
    kind: 'error',
    requestId: `r${n}`,
    method: 'GET',
    route: '/x',
    url: '/x',
    status: 500,
    ms: 1,
    userId: null,
  });
  it('lists newest first and keeps only the last N', () => {
    const recent = new RecentRequests(3);
    recent.add(entry(1));
    recent.add(entry(2));
    expect(recent.list().map((e) => e.requestId)).toEqual(['r2', 'r1']);
    for (let i = 3; i <= 7; i++) recent.add(entry(i));
    expect(recent.list().map((e) => e.requestId)).toEqual(['r7', 'r6', 'r5']);
  });
});

describe('overview', () => {
  // Stand-ins for sources that fail or hang: the point is that one broken source does not blank the rest.
  it('reports a failing or hanging part as an error and still returns the others', async () => {
    const queue = {
      name: 'database',
      counts: () => Promise.resolve([]),
      listFailed: () => new Promise(() => {}),
    } as unknown as QueueDriver;
    const scheduleRuns = {
      between: () =>
        Promise.resolve([
          { task: 'a', startedAt: new Date(1000), endedAt: new Date(2000), outcome: 'ok', output: null },
          { task: 'a', startedAt: new Date(5000), endedAt: null, outcome: 'running', output: null },
        ]),
    } as unknown as ScheduleRunStore;
    const started = Date.now();
    const o = await readOverview({
      health: () => Promise.reject(new Error('health exploded')),
      traffic: new TrafficHistory(),
      recent: new RecentRequests(),
      queue,
      listBackups: () => Promise.resolve([]),
      scheduleRuns,
      now: () => new Date(10_000),
      partTimeoutMs: 200,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(o.health).toEqual({ ok: false, error: 'health exploded' });
    expect(o.queue).toEqual({ ok: false, error: 'no answer within 200 ms' });
    expect(o.backups).toEqual({ ok: true, data: [] });
    expect(o.schedule).toEqual({
      ok: true,
      data: [
        {
          task: 'a',
          startedAt: new Date(5000).toISOString(),
          endedAt: null,
          outcome: 'running',
          ageMs: 5000,
          output: null,
        },
      ],
    });
  });
});
