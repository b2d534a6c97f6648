import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInkstone } from '../support/cli.js';
import { readVersionInfo } from '../../src/version.js';

let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inkstone-cli-'));
  env = { DATABASE_URL: `sqlite:${join(dir, 'blog.sqlite')}` };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function tables(): Promise<string> {
  const r = await runInkstone(['migrate:status', '--json'], { env });
  return r.stdout;
}

describe('inkstone CLI', () => {
  it('--version prints the package version', async () => {
    const r = await runInkstone(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`inkstone ${readVersionInfo().version}`);
  });

  it('every command has --help, and help needs no configuration', async () => {
    const top = await runInkstone(['--help'], { env: { DATABASE_URL: 'nonsense' } });
    expect(top.code).toBe(0);
    const names = [...top.stdout.matchAll(/^ {2}([a-z][a-z:-]+)/gm)].map((m) => m[1]!).filter((n) => n !== 'help');
    expect(names).toEqual(
      expect.arrayContaining(['serve', 'migrate', 'migrate:rollback', 'migrate:status', 'db:check']),
    );
    for (const name of names) {
      const r = await runInkstone([name, '--help'], { env: { DATABASE_URL: 'nonsense' } });
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toContain(`Usage: inkstone ${name}`);
    }
  });

  it('DATABASE_URL=nonsense migrate prints one line naming DATABASE_URL and exits 2', async () => {
    const r = await runInkstone(['migrate'], { env: { DATABASE_URL: 'nonsense' } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^inkstone: DATABASE_URL: expected/);
  });

  it('unknown commands and bad option values exit 2 with one line', async () => {
    const unknown = await runInkstone(['migrat']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'migrat'");
    const bad = await runInkstone(['migrate:rollback', '--step=-1'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--step');
  });

  it('migrate --pretend prints SQL and creates nothing; migrate applies; status lists it', async () => {
    const pretend = await runInkstone(['migrate', '--pretend'], { env });
    expect(pretend.code).toBe(0);
    expect(pretend.stdout).toMatch(/-- 0001_create_users_and_auth\ncreate table "users"/);
    expect(JSON.parse(await tables())).toEqual(expect.arrayContaining([expect.objectContaining({ batch: null })]));

    const migrate = await runInkstone(['migrate'], { env });
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/Migrated: +0001_create_users_and_auth/);
    const status = await runInkstone(['migrate:status'], { env });
    expect(status.stdout).toMatch(/0 pending/);
  });

  it('migrate:rollback --step=2 then migrate round-trips', async () => {
    await runInkstone(['migrate'], { env });
    const back = await runInkstone(['migrate:rollback', '--step=2', '--json'], { env });
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout).rolledBack).toHaveLength(2);
    const status = JSON.parse(await tables()) as { batch: number | null }[];
    expect(status.filter((s) => s.batch === null)).toHaveLength(2);
    const again = await runInkstone(['migrate', '--json'], { env });
    expect(JSON.parse(again.stdout).applied).toHaveLength(2);
  });

  it('APP_ENV=production migrate without --force exits 1 with the reason and changes nothing', async () => {
    const fresh = {
      DATABASE_URL: `sqlite:${join(dir, 'prod.sqlite')}`,
      APP_ENV: 'production',
      APP_KEY: 'k'.repeat(40),
    };
    const r = await runInkstone(['migrate'], { env: fresh });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to migrate in production without --force/);
    const status = JSON.parse((await runInkstone(['migrate:status', '--json'], { env: fresh })).stdout) as {
      batch: number | null;
    }[];
    expect(status.every((s) => s.batch === null)).toBe(true);
    const forced = await runInkstone(['migrate', '--force'], { env: fresh });
    expect(forced.code).toBe(0);
  });

  it('db:check passes on a migrated database and fails (exit 1) with pending migrations', async () => {
    await runInkstone(['migrate'], { env });
    const ok = await runInkstone(['db:check', '--json'], { env });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    await runInkstone(['migrate:rollback', '--step=1'], { env });
    const pending = await runInkstone(['db:check'], { env });
    expect(pending.code).toBe(1);
    expect(pending.stdout).toMatch(/✗ migrations +1 pending/);
    await runInkstone(['migrate'], { env });
  });

  it('db:check fails cleanly when the database cannot be reached', async () => {
    const r = await runInkstone(['db:check'], { env: { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ connection/);
  });

  it('migrate against an unreachable server is a one-line error, exit 1', async () => {
    const r = await runInkstone(['migrate'], { env: { DATABASE_URL: 'mysql://root@127.0.0.1:1/none' } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot reach the database/);
  });

  it('db:optimize runs the engine maintenance and reports it', async () => {
    const r = await runInkstone(['db:optimize', '--json'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).ran).toEqual(['VACUUM', 'ANALYZE', 'PRAGMA optimize', 'DELETE FROM sqlite_stat4']);
    expect(existsSync(join(dir, 'blog.sqlite'))).toBe(true);
  });
});
