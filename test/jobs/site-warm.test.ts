import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type RunningApp } from '../support/app.js';
import { freePort } from '../support/spawn.js';
import { siteWarmHandler, SITE_QUEUE, WARM_PATHS } from '../../src/jobs/site-warm.js';
import type { JobContext } from '../../src/jobs/handlers.js';

const context = { signal: new AbortController().signal } as JobContext;

describe('site warm-up job', () => {
  let running: RunningApp;
  let token = '';
  beforeAll(async () => {
    running = await startTestApp();
    const { user } = await running.app.blog.users.create({
      email: 'author@example.com',
      role: 'author',
      name: 'Author',
      password: 'pw-author-0123456789',
    });
    token = (await running.app.blog.auth.createApiToken({ id: user.id, role: 'author' }, 'tests')).token;
  });
  afterAll(async () => {
    await running?.close();
  });

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  const siteJobs = async () => {
    const c = (await running.app.queue.counts()).find((q) => q.queue === SITE_QUEUE);
    return (c?.waiting ?? 0) + (c?.delayed ?? 0);
  };

  it('publishing queues a warm-up; running it leaves the home page and feeds cached for the next reader', async () => {
    const made = await api('POST', '/api/articles', { title: 'Warm me', markdown: 'x' });
    const { id } = (await made.json()) as { id: number };
    const before = await siteJobs();
    expect((await api('POST', `/api/articles/${id}/publish`)).status).toBe(200);
    expect(await siteJobs()).toBe(before + 1);

    await siteWarmHandler({ appUrl: running.url, logger: running.app.logger })({}, context);
    for (const path of WARM_PATHS) {
      const res = await fetch(`${running.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-cache'), path).toBe('HIT');
    }
    expect(await (await fetch(`${running.url}/feed.xml`)).text()).toContain('Warm me');
  });

  it('queues a warm-up only when something public changed: never for a draft or an article scheduled for later', async () => {
    const steps: Array<[string, () => Promise<Response>, number]> = [];
    let id = 0;
    const step = (what: string, call: () => Promise<Response>, warmUps: number) => steps.push([what, call, warmUps]);
    step(
      'create a draft',
      async () => {
        const res = await api('POST', '/api/articles', { title: 'Quiet draft', markdown: 'x' });
        id = ((await res.clone().json()) as { id: number }).id;
        return res;
      },
      0,
    );
    step('edit the draft', () => api('PATCH', `/api/articles/${id}`, { markdown: 'y' }), 0);
    const later = new Date(Date.now() + 86_400_000).toISOString();
    step('schedule it for tomorrow', () => api('POST', `/api/articles/${id}/publish`, { at: later }), 0);
    step('edit it while scheduled', () => api('PATCH', `/api/articles/${id}`, { title: 'Still quiet' }), 0);
    step('publish it now', () => api('POST', `/api/articles/${id}/publish`), 1);
    step('edit the published article', () => api('PATCH', `/api/articles/${id}`, { markdown: 'z' }), 1);
    step(
      'move it to tomorrow (it leaves the site)',
      () => api('POST', `/api/articles/${id}/publish`, { at: later }),
      1,
    );
    step('unpublish the scheduled article', () => api('POST', `/api/articles/${id}/unpublish`), 0);
    step('publish it again', () => api('POST', `/api/articles/${id}/publish`), 1);
    step('unpublish the live article', () => api('POST', `/api/articles/${id}/unpublish`), 1);
    step('delete the draft', () => api('DELETE', `/api/articles/${id}`), 0);
    for (const [what, call, warmUps] of steps) {
      const before = await siteJobs();
      const res = await call();
      expect(res.status, `${what}: ${await res.clone().text()}`).toBeLessThan(300);
      expect(await siteJobs(), what).toBe(before + warmUps);
    }

    const live = (await (await api('POST', '/api/articles', { title: 'Live then gone', markdown: 'x' })).json()) as {
      id: number;
    };
    await api('POST', `/api/articles/${live.id}/publish`);
    const before = await siteJobs();
    expect((await api('DELETE', `/api/articles/${live.id}`)).status).toBe(204);
    expect(await siteJobs(), 'delete a published article').toBe(before + 1);
  });

  it('fails (so the job retries, then shows in failed jobs) when the site does not answer', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    await expect(siteWarmHandler({ appUrl: nowhere, logger: running.app.logger })({}, context)).rejects.toThrow(
      /could not warm \/: /,
    );
  });
});
