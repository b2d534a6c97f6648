import { describe, expect, it } from 'vitest';
import { AlertEngine, type AlertChannel, type AlertEvent } from '../../src/ops/alerts/engine.js';
import { cpuRule, memoryRule, errorRateRule, latencyRule } from '../../src/ops/alerts/rules.js';
import { RequestWindow } from '../../src/ops/alerts/request-window.js';
import { createLogger } from '../../src/adapters/log/logger.js';

const logger = createLogger({ appName: 't', log: { level: 'silent' } });

function recorder(): AlertChannel & { events: AlertEvent[] } {
  const events: AlertEvent[] = [];
  return { name: 'recorder', events, send: (e) => Promise.resolve(void events.push(e)) };
}

describe('AlertEngine', () => {
  it('notifies once on firing, repeats after the interval while it lasts, and once on recovery', async () => {
    let now = new Date('2026-11-25T10:00:00Z');
    // Host readings are a port; these numbers stand in for a machine under load and then at rest.
    let cpu = 95;
    const rule = cpuRule({ cpuPercent: () => cpu, memoryPercent: () => 10 }, 80);
    const channel = recorder();
    const engine = new AlertEngine([rule], [channel], { repeatMs: 60 * 60_000, logger, now: () => now });

    expect((await engine.evaluate()).map((e) => e.state)).toEqual(['firing']);
    now = new Date(now.getTime() + 30 * 60_000);
    expect(await engine.evaluate()).toEqual([]);
    now = new Date(now.getTime() + 31 * 60_000);
    expect((await engine.evaluate()).map((e) => e.state)).toEqual(['repeat']);
    expect(engine.active().map((a) => a.rule)).toEqual(['high_cpu']);
    cpu = 20;
    expect((await engine.evaluate()).map((e) => e.state)).toEqual(['resolved']);
    expect(await engine.evaluate()).toEqual([]);
    expect(channel.events.map((e) => e.state)).toEqual(['firing', 'repeat', 'resolved']);
    expect(engine.active()).toEqual([]);
  });

  it('a failing channel is logged and does not stop the others; a failing rule is skipped', async () => {
    const good = recorder();
    const bad: AlertChannel = { name: 'bad', send: () => Promise.reject(new Error('webhook down')) };
    const broken = { name: 'broken', severity: 'warning' as const, evaluate: () => Promise.reject(new Error('boom')) };
    const engine = new AlertEngine(
      [broken, memoryRule({ cpuPercent: () => 0, memoryPercent: () => 99 }, 80)],
      [bad, good],
      {
        repeatMs: 1000,
        logger,
      },
    );
    const events = await engine.evaluate();
    expect(events.map((e) => e.rule)).toEqual(['high_memory']);
    expect(good.events).toHaveLength(1);
  });
});

describe('request window rules', () => {
  it('needs 20 requests before judging a rate, and reports average and p95 latency', async () => {
    let t = 1_000_000;
    const w = new RequestWindow(60_000, 30, () => t);
    const errors = errorRateRule(w, 5);
    const latency = latencyRule(w, 1000);
    for (let i = 0; i < 10; i++) w.record(500, 10);
    expect((await errors.evaluate()).firing).toBe(false); // 10 requests: too few to call it an outage
    for (let i = 0; i < 10; i++) w.record(200, 1500);
    const e = await errors.evaluate();
    expect(e.firing).toBe(true);
    expect(e.summary).toMatch(/^50\.0 % of 20 requests/);
    const l = await latency.evaluate();
    expect(l.firing).toBe(false); // average (10 + 1500) / 2 = 755 ms
    expect(l.summary).toMatch(/average 755 ms, p95 ≤ 1500 ms/);
    t += 61_000; // everything leaves the window
    expect(w.snapshot().requests).toBe(0);
    expect((await errors.evaluate()).firing).toBe(false);
  });
});
