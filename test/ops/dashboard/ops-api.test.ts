import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, waitFor, type RunningApp } from '../../support/app.js';
import { startWorkerRole } from '../../../src/jobs/worker-role.js';
import type { OpsOverview } from '../../../src/ops/dashboard/overview.js';

// The ops dashboard's JSON on the real web role (SQLite, database queue, local backup destination).
describe('ops API', () => {
  let running: RunningApp;
  const tokens: Record<'admin' | 'editor', string> = { admin: '', editor: '' };

  beforeAll(async () => {
    running = await startTestApp({ SLOW_REQUEST_MS: '50', BACKUP_PASSWORD: 'correct horse battery staple' }, (s) => {
      s.get('/boom', () => {
        throw new Error('kaboom');
      });
      s.get('/slow', async () => {
        await new Promise((r) => setTimeout(r, 120));
        return { ok: true };
      });
    });
    mkdirSync(join(running.storageDir, 'app', 'public'), { recursive: true });
    writeFileSync(join(running.storageDir, 'app', 'public', 'a.txt'), 'a file\n');
    for (const role of ['admin', 'editor'] as const) {
      const { user } = await running.app.blog.users.create({
        email: `${role}@example.com`,
        role,
        name: role,
        password: `pw-${role}-0123456789`,
      });
      tokens[role] = (await running.app.blog.auth.createApiToken({ id: user.id, role }, 'tests')).token;
    }
  });
  afterAll(async () => {
    await running?.close();
  });

  const call = (method: string, path: string, as?: 'admin' | 'editor', body?: unknown) =>
    fetch(`${running.url}${path}`, {
      method,
      headers: {
        ...(as ? { authorization: `Bearer ${tokens[as]}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const overview = async () => {
    const res = await call('GET', '/api/ops/overview', 'admin');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return (await res.json()) as OpsOverview;
  };
  const runJobs = async (n: number) => {
    const worker = startWorkerRole(running.app, {
      queues: ['default'],
      concurrency: 1,
      sleepMs: 20,
      tries: 1,
      backoff: { kind: 'list', delaysMs: [10] },
      maxJobs: n,
    });
    await worker.done;
  };

  it('refuses anonymous callers and non-admins', async () => {
    expect((await call('GET', '/api/ops/overview')).status).toBe(401);
    const res = await call('GET', '/api/ops/overview', 'editor');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await call('POST', '/api/ops/backups', 'editor', {})).status).toBe(403);
  });

  it('"back up now" queues a backup that a worker runs; the dashboard lists the set', async () => {
    const res = await call('POST', '/api/ops/backups', 'admin', {});
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    expect(jobId).not.toBe('');
    await runJobs(1);
    const o = await overview();
    expect(o.backups.ok).toBe(true);
    const sets = o.backups.ok ? o.backups.data : [];
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ kind: 'full', verified: true, destinations: ['local'] });
    expect((await call('POST', '/api/ops/backups', 'admin', { incremental: 'yes' })).status).toBe(400);
  });

  it('shows failed and slow requests with the request id their response carried, and the traffic', async () => {
    const boom = await fetch(`${running.url}/boom`);
    expect(boom.status).toBe(500);
    const slow = await fetch(`${running.url}/slow`);
    expect(slow.status).toBe(200);
    await waitFor('the slow request to be recorded', async () => (await overview()).recent.length >= 2);
    const o = await overview();
    expect(o.recent.slice(0, 2)).toEqual([
      expect.objectContaining({
        kind: 'slow',
        route: '/slow',
        status: 200,
        requestId: slow.headers.get('x-request-id'),
      }),
      expect.objectContaining({
        kind: 'error',
        route: '/boom',
        status: 500,
        requestId: boom.headers.get('x-request-id'),
      }),
    ]);
    expect(o.traffic.minutes).toHaveLength(60);
    expect(o.traffic.requests).toBeGreaterThanOrEqual(4);
    expect(o.traffic.errors).toBe(1);
    expect(o.health).toMatchObject({ ok: true, data: { status: 'healthy' } });
    expect(o.schedule).toEqual({ ok: true, data: [] });
  });

  it('retries and forgets failed jobs; unknown ids are 404', async () => {
    await running.app.queue.enqueue({ name: 'test:no-such-handler', payload: {}, maxAttempts: 1 });
    await running.app.queue.enqueue({ name: 'test:no-such-handler', payload: {}, maxAttempts: 1 });
    await runJobs(2);
    const o = await overview();
    const failed = o.queue.ok ? o.queue.data.failed : [];
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatchObject({ name: 'test:no-such-handler', queue: 'default' });
    const [a, b] = failed.map((f) => f.id);
    expect((await call('POST', `/api/ops/failed-jobs/${a}/retry`, 'admin')).status).toBe(204);
    expect((await call('POST', `/api/ops/failed-jobs/${a}/retry`, 'admin')).status).toBe(404);
    expect((await call('DELETE', `/api/ops/failed-jobs/${b}`, 'admin')).status).toBe(204);
    expect((await call('DELETE', `/api/ops/failed-jobs/${b}`, 'admin')).status).toBe(404);
    expect((await call('DELETE', `/api/ops/failed-jobs/${b}`, 'editor')).status).toBe(403);
    const after = await overview();
    expect(after.queue.ok && after.queue.data.failedTotal).toBe(0);
    const counts = after.queue.ok ? after.queue.data.counts.find((c) => c.queue === 'default') : undefined;
    expect(counts?.waiting).toBe(1);
  });
});
