import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type RunningApp } from '../support/app.js';
import { startHttpSink, type HttpSink } from '../support/http-sink.js';

async function hit(url: string, n: number, concurrency = 25): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        const res = await fetch(url);
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    }),
  );
  return statuses;
}

describe('an error storm', () => {
  let sink: HttpSink;
  let t: RunningApp;
  const WINDOW_MS = 3000;

  beforeAll(async () => {
    sink = await startHttpSink();
    t = await startTestApp(
      {
        LOG_CHANNELS: 'stdout,slack',
        LOG_SLACK_WEBHOOK_URL: `${sink.url}/slack`,
        LOG_SLACK_BATCH_MS: '1000',
        ALERT_WEBHOOK_URL: `${sink.url}/alert`,
        ALERT_WINDOW_MS: String(WINDOW_MS),
        // Evaluated by the test, step by step, instead of on a timer.
        ALERT_EVAL_INTERVAL_MS: '3600000',
        ALERT_CPU_PERCENT: '100',
        ALERT_MEMORY_PERCENT: '100',
      },
      (server) => {
        server.get('/t/fail', () => {
          throw new Error('the payment provider is down');
        });
        server.get('/t/ok', () => ({ ok: true }));
      },
    );
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  it('1,000 failing requests: Slack gets at most 5 messages; the error-rate alert fires once, then recovers once', async () => {
    const statuses = await hit(`${t.url}/t/fail`, 1000);
    expect(statuses.filter((s) => s === 500)).toHaveLength(1000);

    const fired = await t.app.alerts.evaluate();
    expect(fired.map((e) => [e.rule, e.state])).toEqual([['high_error_rate', 'firing']]);
    // Requests older than the window have left it by now on a slow machine, hence "of N".
    expect(fired[0]!.summary).toMatch(/100\.0 % of \d+ requests failed \(5xx\) over/);
    // Still firing on the next evaluation, but within the repeat interval: no second notice.
    expect(await t.app.alerts.evaluate()).toEqual([]);

    // The storm leaves the window; healthy traffic follows.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 200));
    await hit(`${t.url}/t/ok`, 50, 5);
    const recovered = await t.app.alerts.evaluate();
    expect(recovered.map((e) => [e.rule, e.state])).toEqual([['high_error_rate', 'resolved']]);

    await new Promise((r) => setTimeout(r, 1300)); // one Slack batch interval
    const slack = sink.received.filter((r) => r.path === '/slack');
    expect(slack.length).toBeGreaterThanOrEqual(1);
    expect(slack.length).toBeLessThanOrEqual(5);
    const text = slack.map((m) => (m.body as { text: string }).text).join('\n');
    expect(text).toContain('the payment provider is down');
    expect(text).toMatch(/\d+× unhandled error: the payment provider is down \(\/t\/fail\)/);

    const alerts = sink.received
      .filter((r) => r.path === '/alert')
      .map((r) => r.body as { alert: string; state: string });
    expect(alerts.map((a) => [a.alert, a.state])).toEqual([
      ['high_error_rate', 'firing'],
      ['high_error_rate', 'resolved'],
    ]);
  });
});
