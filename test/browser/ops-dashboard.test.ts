import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerRole } from '../../src/jobs/worker-role.js';
import { freePort } from '../../scripts/lib/processes.js';
import { BROWSER_TEST_TIMEOUT_MS, poll, screenshot, signIn, startLiveSite, type LiveSite } from '../support/browser.js';

// The ops dashboard in a real chromium against the real web role (SQLite, database queue, a local backup
// destination in a temp dir): traffic including a 500 and a slow request, failed jobs from a real worker run,
// and "Back up now" through to a backup set a worker made.

describe('ops dashboard in chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let site: LiveSite;
  let storageDir: string;

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'inkstone-opsui-'));
    site = await startLiveSite(
      {
        STORAGE_DIR: storageDir,
        SLOW_REQUEST_MS: '150',
        HEALTH_MIN_FREE_DISK_MB: '1',
        BACKUP_PASSWORD: 'correct horse battery staple',
      },
      (s) => {
        s.get('/test/boom', () => {
          throw new Error('kaboom for the dashboard');
        });
        s.get('/test/slow', async () => {
          await new Promise((r) => setTimeout(r, 250));
          return { ok: true };
        });
      },
    );
  });
  afterAll(async () => {
    await site?.close();
    if (storageDir) rmSync(storageDir, { recursive: true, force: true });
  });

  const runJobs = async (n: number) => {
    const worker = startWorkerRole(site.test.app, {
      queues: ['default'],
      concurrency: 1,
      sleepMs: 20,
      tries: 1,
      backoff: { kind: 'list', delaysMs: [10] },
      maxJobs: n,
    });
    await worker.done;
  };

  it('shows health, traffic charts, failed and slow requests; retries and forgets failed jobs; backs up now', async () => {
    for (let i = 0; i < 5; i++) expect((await fetch(`${site.url}/`)).status).toBe(200);
    const boom = await fetch(`${site.url}/test/boom`);
    expect(boom.status).toBe(500);
    const slow = await fetch(`${site.url}/test/slow`);
    expect(slow.status).toBe(200);
    const boomId = boom.headers.get('x-request-id')!;
    const slowId = slow.headers.get('x-request-id')!;
    expect(boomId).toBeTruthy();

    const queue = site.test.app.queue;
    await queue.enqueue({ name: 'test:no-such-handler', payload: { n: 1 }, maxAttempts: 1 });
    await queue.enqueue({ name: 'test:no-such-handler', payload: { n: 2 }, maxAttempts: 1 });
    await runJobs(2);
    expect(await queue.listFailed()).toHaveLength(2);

    const page = await site.browser.freshPage({ as: site.users.admin });
    await page.getByRole('link', { name: 'Ops' }).click();
    await page.waitForURL(`${site.url}/admin/ops`);

    // Health: every check with its state.
    await poll(() => page.locator('#health-status').textContent()).toBe('healthy');
    expect(await page.locator('[data-check="database"] .badge').textContent()).toBe('ok');
    expect(await page.locator('[data-check="disk"] .badge').textContent()).toBe('ok');

    // Traffic: 60 minutes per chart; this minute has requests, the 500 is a highlighted (error) bar.
    expect(await page.locator('#chart-requests rect.bar').count()).toBe(60);
    // (Browser-side code as a string: the test program is typed for Node, not the DOM.)
    const heights = await page.evaluate<number[]>(
      `[...document.querySelectorAll('#chart-requests rect.bar')].map((b) => Number(b.getAttribute('height')))`,
    );
    expect(heights.filter((h) => h > 0).length).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#chart-requests rect.bar-highlight').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#chart-errors rect.bar-highlight').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#chart-latency path.line-p95').getAttribute('d')).toMatch(/^M\d/);
    expect(await page.locator('#chart-requests').getAttribute('role')).toBe('img');
    const totals = await page.locator('#traffic-totals').textContent();
    expect(totals).toContain('1 5xx errors');

    // The request inspector: the failed and the slow request with the ids their responses carried.
    const boomRow = page.locator(`#recent tr[data-request-id="${boomId}"]`);
    expect(await boomRow.textContent()).toContain('/test/boom');
    expect(await boomRow.locator('.badge').textContent()).toBe('error');
    expect(await boomRow.locator('.request-id').textContent()).toBe(boomId);
    expect(await page.locator(`#recent tr[data-request-id="${slowId}"] .badge`).textContent()).toBe('slow');
    // Ages are relative, with the exact time in the title.
    const when = boomRow.locator('time');
    expect(await when.textContent()).toMatch(/just now|\d+ s ago/);
    expect(await when.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\dT/);

    // Failed jobs: retry one (back on its queue), forget the other.
    const failedRows = page.locator('#failed-jobs tbody tr');
    expect(await failedRows.count()).toBe(2);
    expect(await failedRows.first().textContent()).toContain('test:no-such-handler');
    const [first, second] = (await queue.listFailed()).map((j) => j.id);
    await page.getByRole('button', { name: `Retry job ${first}` }).click();
    await poll(() => page.getByRole('alert').textContent()).toBe(`Job ${first} is queued again.`);
    await poll(() => failedRows.count()).toBe(1);
    await page.getByRole('button', { name: `Forget job ${second}` }).click();
    await poll(() => page.getByRole('alert').textContent()).toBe(`Job ${second} forgotten.`);
    await poll(() => page.locator('#failed-empty').isVisible()).toBe(true);
    expect(await queue.listFailed()).toEqual([]);
    const counts = await queue.counts();
    expect(counts.find((c) => c.queue === 'default')?.waiting).toBe(1);

    // The retried job fails again when a worker takes it: it comes back in the list after a refresh.
    await runJobs(1);
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await poll(() => failedRows.count()).toBe(1);

    // Back up now: the API's 202 is confirmed with the job id; a worker makes the set and the list shows it.
    expect(await page.locator('#backups').textContent()).toContain('No backups yet.');
    await page.getByRole('button', { name: 'Back up now' }).click();
    await poll(() => page.getByRole('alert').textContent()).toMatch(/^Backup queued as job \S+: a worker runs it/);
    await runJobs(1);
    // The API lists backup sets at most every 10 s (one cached answer for every reader): refresh until it shows.
    await poll(async () => {
      await page.getByRole('button', { name: 'Refresh now' }).click();
      await page.waitForTimeout(500);
      return page.locator('#backups tbody tr').count();
    }, 20_000).toBe(1);
    const backupRow = await page.locator('#backups tbody tr').textContent();
    expect(backupRow).toContain('full');
    expect(backupRow).toContain('local');
    expect(await page.locator('#backups').textContent()).toMatch(/Newest backup: (just now|\d+ s ago)/);

    await screenshot(page, 'ops-dashboard');
    expect(site.browser.pageErrors).toEqual([]);
  });

  it('an editor gets the 403 page and no Ops link', async () => {
    const page = await site.browser.freshPage({ as: site.users.editor });
    expect(await page.getByRole('link', { name: 'Ops' }).count()).toBe(0);
    const res = await page.goto(`${site.url}/admin/ops`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Not allowed');
  });
});

describe('ops dashboard when a source fails', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let site: LiveSite;

  beforeAll(async () => {
    // Backups on an S3 endpoint where nothing listens: listing them fails, the rest of the page does not.
    const deadPort = await freePort();
    site = await startLiveSite({
      HEALTH_MIN_FREE_DISK_MB: '1',
      BACKUP_DESTINATIONS: 's3',
      BACKUP_S3_BUCKET: 'nowhere',
      BACKUP_S3_ENDPOINT: `http://127.0.0.1:${deadPort}`,
      BACKUP_S3_ACCESS_KEY_ID: 'test',
      BACKUP_S3_SECRET_ACCESS_KEY: 'test-secret',
      BACKUP_S3_FORCE_PATH_STYLE: 'true',
    });
  });
  afterAll(() => site?.close());

  it("shows the part's error in place of the backups list and still draws the other sections", async () => {
    const page = await site.browser.freshPage({ as: site.users.admin });
    await page.goto(`${site.url}/admin/ops`);
    const error = page.locator('#backups .part-error');
    await poll(() => error.count(), 15_000).toBe(1);
    expect(await error.textContent()).toMatch(/^Could not read this part: \S/);
    expect(await page.locator('#backups table').count()).toBe(0);
    expect(await page.locator('#health-status').textContent()).toBe('healthy');
    expect(await page.locator('#chart-requests rect.bar').count()).toBe(60);
    expect(await page.locator('#queue').textContent()).toContain('Driver: database');
  });

  it('reads the overview again every 15 s without a reload', async () => {
    const page = await site.browser.freshPage();
    // The page's clock is ours from before sign-in, so its 15 s timer runs on it.
    await page.clock.install();
    await signIn(page, site.url, site.users.admin);
    await page.goto(`${site.url}/admin/ops`);
    const requests = page.locator('#traffic-totals li').first().locator('strong');
    await poll(() => requests.count()).toBe(1);
    const before = Number(await requests.textContent());
    for (let i = 0; i < 3; i++) expect((await fetch(`${site.url}/api/settings`)).status).toBe(200);
    // The installed clock also runs at real speed: the real seconds since the page set its timer count too. 10 s
    // forward leaves 5 real seconds for that (14 s left one, and a busy CI run took more).
    await page.clock.fastForward(10_000);
    await page.waitForTimeout(300);
    expect(Number(await requests.textContent())).toBe(before);
    await page.clock.fastForward(5_500);
    await poll(async () => Number(await requests.textContent())).toBeGreaterThanOrEqual(before + 3);
  });
});
