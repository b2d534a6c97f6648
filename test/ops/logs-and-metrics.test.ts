import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type RunningApp } from '../support/app.js';
import { runInkstone } from '../support/cli.js';
import { createTestDatabase, dialectAvailability } from '../support/databases.js';
import { json } from '../support/json.js';
import { dailyFileName, removeOldDailyFiles } from '../../src/adapters/log/daily-file.js';

describe('request log, slow requests and metrics', () => {
  let t: RunningApp;
  beforeAll(async () => {
    t = await startTestApp(
      {
        SLOW_REQUEST_MS: '50',
        LOG_CHANNELS: 'stdout,daily',
        METRICS_ALLOW: '127.0.0.1',
        METRICS_TOKEN: 'metrics-secret-123',
      },
      (server) => {
        server.get('/t/articles/:slug', () => ({ ok: true }));
        server.get('/t/slow', async () => {
          await new Promise((r) => setTimeout(r, 80));
          return { ok: true };
        });
      },
    );
  });
  afterAll(() => t?.close());

  it('writes one JSON line per request with id, method, route template, status, duration, IP and user agent', async () => {
    const res = await fetch(`${t.url}/t/articles/hello-world?x=1`, {
      headers: { 'x-request-id': 'abc-123', 'user-agent': 'test-agent/1' },
    });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    const line = await t.waitForLog((e) => e.reqId === 'abc-123' && e.msg === 'request');
    expect(line).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/t/articles/:slug',
      status: 200,
      ip: '127.0.0.1',
      ua: 'test-agent/1',
      userId: null,
    });
    expect(typeof line.ms).toBe('number');
  });

  it('a page-cache hit (written straight to the socket) is still logged, counted and carries its request id', async () => {
    const first = await fetch(`${t.url}/?hit-test=1`, { headers: { 'x-request-id': 'miss-1' } });
    expect(first.headers.get('x-cache')).toBe('MISS');
    await first.text();
    const hit = await fetch(`${t.url}/?hit-test=1`, { headers: { 'x-request-id': 'hit-1', 'user-agent': 'hit/1' } });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('x-request-id')).toBe('hit-1');
    await hit.text();
    const line = await t.waitForLog((e) => e.reqId === 'hit-1' && e.msg === 'request');
    expect(line).toMatchObject({ method: 'GET', route: '/', status: 200, ua: 'hit/1' });
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    const count = /inkstone_http_request_duration_seconds_count\{[^}]*route="\/"[^}]*\} (\d+)/.exec(metrics);
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/inkstone_http_requests_in_flight(\{[^}]*\})? 1\n/);
  });

  it('logs a request over SLOW_REQUEST_MS as a warning with route, duration and memory peak', async () => {
    await fetch(`${t.url}/t/slow`, { headers: { 'x-request-id': 'slow-1' } });
    const line = await t.waitForLog((e) => e.reqId === 'slow-1');
    expect(line).toMatchObject({ level: 40, msg: 'slow request', route: '/t/slow' });
    expect(line.ms as number).toBeGreaterThanOrEqual(50);
    expect(line.maxRssMb as number).toBeGreaterThan(0);
  });

  it('GET /metrics serves Prometheus text to allowed addresses, with route templates and DB query timings', async () => {
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(
      /inkstone_http_request_duration_seconds_bucket\{[^}]*route="\/t\/articles\/:slug"[^}]*status_class="2xx"/,
    );
    expect(text).toContain('inkstone_http_requests_in_flight');
    expect(text).toContain('inkstone_db_query_duration_seconds_count{kind="select"}');
    expect(text).toContain('inkstone_nodejs_eventloop_lag_seconds');
    expect(text).toContain('inkstone_process_resident_memory_bytes');
  });

  it('the daily channel writes storage/logs/inkstone-YYYY-MM-DD.log, and log:tail reads it', async () => {
    await fetch(`${t.url}/t/articles/tail-me`, { headers: { 'x-request-id': 'tail-1' } });
    await t.waitForLog((e) => e.reqId === 'tail-1');
    const file = join(t.storageDir, 'logs', dailyFileName(new Date()));
    await t.app.close(); // flushes the buffered daily file
    expect(readFileSync(file, 'utf8')).toContain('"reqId":"tail-1"');
    const env = { STORAGE_DIR: t.storageDir, LOG_CHANNELS: 'stdout' };
    const tail = await runInkstone(['log:tail', '-n', '3'], { env });
    expect(tail.code).toBe(0);
    expect(tail.stdout.trim().split('\n')).toHaveLength(3);
    expect(tail.stdout).toMatch(/INFO +request reqId=tail-1 method=GET route=\/t\/articles\/:slug status=200/);
    const warn = await runInkstone(['log:tail', '--level', 'warn', '--json'], { env });
    const lines = warn.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(lines.every((l) => l.level >= 40)).toBe(true);
    expect(lines.map((l) => l.msg)).toContain('slow request');
    const bad = await runInkstone(['log:tail', '--level', 'loud'], { env });
    expect(bad.code).toBe(2);
  });
});

describe('metrics access', () => {
  it('refuses other addresses without the token, and accepts the bearer token', async () => {
    const t = await startTestApp({ METRICS_ALLOW: '10.9.9.9', METRICS_TOKEN: 'metrics-secret-123' });
    try {
      const denied = await fetch(`${t.url}/metrics`);
      expect(denied.status).toBe(403);
      expect(await json(denied)).toMatchObject({ error: { code: 'forbidden' } });
      const spoofed = await fetch(`${t.url}/metrics`, { headers: { 'x-forwarded-for': '10.9.9.9' } });
      expect(spoofed.status).toBe(403);
      const allowed = await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret-123' } });
      expect(allowed.status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('daily file retention', () => {
  it('removes files older than LOG_DAILY_DAYS and keeps the rest', () => {
    const dir = join(process.env.TMPDIR ?? '/tmp', `inkstone-logs-${process.pid}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const now = new Date('2026-11-25T12:00:00Z');
    const names = ['2026-11-25', '2026-11-12', '2026-11-11', '2026-11-01'].map((d) => `inkstone-${d}.log`);
    for (const n of [...names, 'other.log']) writeFileSync(join(dir, n), 'x\n');
    utimesSync(join(dir, 'other.log'), now, now);
    const removed = removeOldDailyFiles(dir, 14, now);
    // The cutoff is 14 days before 2026-11-25: 2026-11-11 is kept, anything older goes; other files stay.
    expect(removed).toEqual(['inkstone-2026-11-01.log']);
    expect(readdirSync(dir).sort()).toEqual([
      'inkstone-2026-11-11.log',
      'inkstone-2026-11-12.log',
      'inkstone-2026-11-25.log',
      'other.log',
    ]);
  });
});

describe('secrets never reach the logs', () => {
  it.skipIf(!dialectAvailability('postgres').available)(
    'a scenario with planted secrets in headers, cookies, bodies, errors and the DSN logs none of them',
    async () => {
      const pgDb = await createTestDatabase('postgres');
      const dsn = new URL(pgDb.url);
      dsn.password = 'PLANTED-dsn-password'; // trust auth on this server accepts any password
      const t = await startTestApp(
        {
          DATABASE_URL: dsn.toString(),
          LOG_LEVEL: 'trace',
          LOG_CHANNELS: 'stdout,daily',
          APP_KEY: 'PLANTED-app-key-0123456789abcdefghij',
        },
        (server) => {
          server.post('/t/login', (request) => {
            request.log.info({ body: request.body, headers: request.headers }, 'login attempt');
            return { ok: true };
          });
          server.get('/t/dsn-error', () => {
            throw new Error(`could not reach mysql://blog:PLANTED-error-password@db.internal:3306/blog`);
          });
        },
      );
      try {
        await fetch(`${t.url}/t/login`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: 'Bearer PLANTED-bearer-token',
            cookie: 'inkstone_session=PLANTED-session-cookie',
          },
          body: JSON.stringify({ email: 'a@example.com', password: 'PLANTED-password', token: 'PLANTED-body-token' }),
        });
        await fetch(`${t.url}/t/dsn-error`);
        t.app.logger.info({ config: { appKey: t.app.config.appKey } }, 'config loaded');
        t.app.logger.error(`connecting to ${dsn.toString()} failed`);
      } finally {
        await t.close().catch(() => {});
        await pgDb.drop();
      }
      const stdout = t.logLines().join('\n');
      expect(stdout).toContain('login attempt');
      expect(stdout).toContain('[redacted]');
      expect(stdout).toMatch(/mysql:\/\/blog:\*\*\*@db\.internal/);
      expect(stdout).not.toContain('PLANTED');
    },
  );
});
