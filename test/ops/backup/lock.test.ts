import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../../support/databases.js';
import { backupSandbox, jsonOf } from '../../support/backup-env.js';
import { spawnInkstone, type InkstoneProcess } from '../../support/spawn.js';
import { testConfig } from '../../support/config.js';
import { createApp, type App } from '../../../src/app.js';
import { JOB } from '../../../src/jobs/names.js';
import { inProcessRunner } from '../../../src/cli/commands/schedule.js';
import type { CliIO } from '../../../src/cli/io.js';

type Box = ReturnType<typeof backupSandbox>;

/** True once a run stages a set in the folder (it holds the lock by then). */
const writing = (dir: string) => existsSync(dir) && readdirSync(dir).some((e) => e.startsWith('.partial-'));

/** Starts `backup:run` as a real process and returns once it holds the lock and writes (its staging folder is there). */
async function startHolder(box: Box, env: Record<string, string> = {}): Promise<InkstoneProcess> {
  const dir = env.BACKUP_LOCAL_DIR ?? box.backupsDir;
  const proc = spawnInkstone(['backup:run', '--json'], { ...box.env, LOG_LEVEL: 'silent', ...env });
  const deadline = Date.now() + 30_000;
  while (!writing(dir)) {
    if (Date.now() > deadline || proc.child.exitCode !== null)
      throw new Error(`holder never started: ${proc.output()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return proc;
}

const listed = async (box: Box) =>
  jsonOf<{ backups: { id: string }[] }>(await box.run(['backup:list', '--json'])).backups.map((b) => b.id);

describeEachDialect('the backup lock', (dialect) => {
  let tdb: TestDatabase;
  let box: Box;

  beforeAll(async () => {
    tdb = await createTestDatabase(dialect);
    box = backupSandbox(tdb.url);
    expect((await box.run(['migrate'])).code).toBe(0);
    // Enough bytes that a run is still writing when the test looks (holders are also paused with SIGSTOP).
    writeFileSync(join(box.storage, 'app', 'big.bin'), randomBytes(24 * 1024 * 1024));
  });

  afterAll(async () => {
    await tdb?.drop();
    box?.remove();
  });

  it('refuses a second run, a restore and a clean while a run holds it; --wait waits its turn', async () => {
    const first = jsonOf<{ id: string }>(await box.run(['backup:run', '--only-db', '--json'])).id;
    const holder = await startHolder(box);
    holder.child.kill('SIGSTOP'); // a paused holder keeps its lock: the window is as long as the test needs
    try {
      const second = spawnInkstone(['backup:run', '--json'], { ...box.env, LOG_LEVEL: 'silent' });
      const refused = await second.exited;
      expect(refused.code).toBe(1);
      const line = second.output().trim();
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toContain('backup_in_progress');
      expect(line).toContain(`backup:run (cli), pid ${holder.child.pid}`);
      expect(line).toMatch(/since \d{4}-\d\d-\d\dT/);

      const restore = await box.run(['backup:restore', first]);
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain('backup_in_progress');
      const clean = await box.run(['backup:clean', '--days=1']);
      expect(clean.code).toBe(1);
      expect(clean.stderr).toContain('backup_in_progress');
      // A dry run only reads: it is not refused.
      expect((await box.run(['backup:clean', '--days=1', '--dry-run'])).code).toBe(0);

      const waiter = spawnInkstone(['backup:run', '--only-db', '--wait=120', '--json'], {
        ...box.env,
        LOG_LEVEL: 'silent',
      });
      await new Promise((r) => setTimeout(r, 1500));
      expect(waiter.child.exitCode).toBe(null); // still waiting
      holder.child.kill('SIGCONT');
      const [held, waited] = await Promise.all([holder.exited, waiter.exited]);
      expect(held.code, holder.output()).toBe(0);
      expect(waited.code, waiter.output()).toBe(0);
      const heldId = (JSON.parse(holder.output()) as { id: string }).id;
      const waitedId = (JSON.parse(waiter.output()) as { id: string }).id;
      expect(await listed(box)).toEqual([first, heldId, waitedId]);
    } finally {
      holder.child.kill('SIGCONT');
      holder.child.kill('SIGKILL');
    }
  });

  it('a holder killed with SIGKILL does not block the next run', async () => {
    const before = await listed(box);
    const holder = await startHolder(box);
    holder.child.kill('SIGKILL');
    expect((await holder.exited).signal).toBe('SIGKILL');
    const next = await box.run(['backup:run', '--only-db', '--json']);
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    const id = (JSON.parse(next.stdout) as { id: string }).id;
    expect(await listed(box)).toEqual([...before, id]);
  });

  it('a dashboard backup job and a CLI run exclude each other', async () => {
    const app: App = await createApp(testConfig({ ...box.env }));
    try {
      const job = app.jobs.get(JOB.backup)!;
      const context = { job: { enqueuedAt: new Date(), queue: 'default' } } as Parameters<typeof job>[1];

      const holder = await startHolder(box);
      holder.child.kill('SIGSTOP');
      try {
        await expect(job({}, context)).rejects.toMatchObject({
          code: 'backup_in_progress',
          message: expect.stringContaining(`backup:run (cli), pid ${holder.child.pid}`) as string,
        });
      } finally {
        holder.child.kill('SIGCONT');
      }
      expect((await holder.exited).code).toBe(0);

      const before = await listed(box);
      const running = job({}, context);
      const deadline = Date.now() + 30_000;
      while (!writing(box.backupsDir) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 2));
      }
      const cli = await box.run(['backup:run', '--only-db']);
      await running;
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain('backup_in_progress');
      expect(cli.stderr).toContain('backup:run (dashboard job)');
      expect((await listed(box)).length).toBe(before.length + 1);
    } finally {
      await app.close();
    }
  });

  it('a scheduled run is named as such to the run it refuses', async () => {
    const io = { env: { APP_ENV: 'test', LOG_LEVEL: 'silent', ...box.env }, cwd: process.cwd() } as unknown as CliIO;
    const scheduled = inProcessRunner(io)(['backup:run']); // with the big file: still writing when the CLI tries
    const deadline = Date.now() + 30_000;
    while (!writing(box.backupsDir) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
    }
    const cli = await box.run(['backup:run', '--only-db']);
    expect((await scheduled).code).toBe(0);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('backup_in_progress: backup:run (schedule)');
  });

  if (dialect !== 'sqlite') {
    it('hosts that share the database but not the backup folder exclude each other through the server', async () => {
      const otherHost = mkdtempSync(join(tmpdir(), 'inkstone-other-host-'));
      const holder = await startHolder(box, { BACKUP_LOCAL_DIR: join(otherHost, 'backups') });
      holder.child.kill('SIGSTOP');
      try {
        const res = await box.run(['backup:run', '--only-db']);
        expect(res.code).toBe(1);
        expect(res.stderr).toContain('backup_in_progress');
        expect(res.stderr).toContain(dialect === 'postgres' ? 'PostgreSQL pid' : 'MySQL connection');
        if (dialect === 'postgres') expect(res.stderr).toContain(`backup:run (cli), pid ${holder.child.pid}`);
      } finally {
        holder.child.kill('SIGCONT');
        await holder.exited;
        rmSync(otherHost, { recursive: true, force: true });
      }
    });
  }
});
