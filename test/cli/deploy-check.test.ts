import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInkstone } from '../support/cli.js';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.js';
import { serviceUrls } from '../support/services.js';
import { inject } from 'vitest';

interface Report {
  ok: boolean;
  checks: { name: string; status: 'pass' | 'warn' | 'fail'; detail: string }[];
}

const production = (databaseUrl: string, extra: Record<string, string> = {}) => ({
  ENV_FILE: '/dev/null',
  APP_ENV: 'production',
  APP_KEY: 'a'.repeat(40),
  APP_URL: 'https://blog.example.com',
  AUTO_MIGRATE: 'false',
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'warn',
  ...extra,
});

const line = (report: Report, name: string) => report.checks.find((c) => c.name === name)!;

/** A loopback port with nothing listening on it: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeEachDialect('deploy:check', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(() => db.drop());

  it('passes on a reachable database and lists its pending migrations, then none once migrated', async () => {
    const env = production(db.url);
    const before = await runInkstone(['deploy:check', '--json', '--no-audit'], { env });
    expect(before.code, before.stderr).toBe(0);
    const report = JSON.parse(before.stdout) as Report;
    expect(report.ok).toBe(true);
    expect(line(report, 'database')).toEqual({ name: 'database', status: 'pass', detail: `${dialect} answers` });
    expect(line(report, 'migrations').status).toBe('warn');
    expect(line(report, 'migrations').detail).toContain('0001_create_users_and_auth');

    expect((await runInkstone(['migrate', '--force'], { env })).code).toBe(0);
    const after = JSON.parse((await runInkstone(['deploy:check', '--json', '--no-audit'], { env })).stdout) as Report;
    expect(line(after, 'migrations').status).toBe('pass');
  });
});

describe('deploy:check', () => {
  let db: TestDatabase;
  let storage: string;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    storage = mkdtempSync(join(tmpdir(), 'inkstone-deploy-check-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(storage, { recursive: true, force: true });
  });

  it('prints a ✓/!/✗ list and exits 1 when the config is not production', async () => {
    const r = await runInkstone(['deploy:check', '--no-audit'], {
      env: { ENV_FILE: '/dev/null', APP_ENV: 'development', DATABASE_URL: db.url, STORAGE_DIR: storage },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✓ node {7}Node v\d+/m);
    expect(r.stdout).toMatch(/^✓ lockfile /m);
    expect(r.stdout).toMatch(/^! backup {5}no backup yet: run inkstone backup:run before deploying$/m);
    expect(r.stdout).toMatch(/^✗ config {5}APP_ENV is development, expected production/m);
    expect(r.stdout).toMatch(/^! audit {6}skipped \(--no-audit\)$/m);
    expect(r.stderr).toBe('inkstone: deploy check failed: config\n');
  });

  it('reads the newest backup set from the backup destinations', async () => {
    const env = { ENV_FILE: '/dev/null', APP_ENV: 'development', DATABASE_URL: db.url, STORAGE_DIR: storage };
    expect((await runInkstone(['migrate'], { env })).code).toBe(0);
    const backup = await runInkstone(['backup:run', '--only-db', '--json'], { env });
    expect(backup.code, backup.stderr).toBe(0);
    const r = await runInkstone(['deploy:check', '--no-audit'], { env });
    expect(r.stdout).toMatch(/^✓ backup {5}newest backup \S+ is 0\.0 h old/m);
  });

  it('fails the database line, and keeps checking the rest, when the database is unreachable', async () => {
    const port = await closedPort();
    const r = await runInkstone(['deploy:check', '--json', '--no-audit'], {
      env: production(`postgres://postgres@127.0.0.1:${port}/nothing`),
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(line(report, 'database').status).toBe('fail');
    expect(line(report, 'database').detail).toMatch(/ECONNREFUSED|connect/);
    expect(line(report, 'migrations').status).toBe('fail');
    expect(line(report, 'node').status).toBe('pass');
    expect(line(report, 'config').status).toBe('warn'); // the URL has no password
  });

  it('reports a database that cannot even be opened on its line, not as a crash', async () => {
    // A plain file where the SQLite file's directory should be: it cannot be created, so the app cannot open.
    const notADir = join(dirname(db.name), 'not-a-dir');
    writeFileSync(notADir, '');
    const r = await runInkstone(['deploy:check', '--json', '--no-audit'], {
      env: production(`sqlite:${notADir}/inkstone.sqlite`),
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(line(report, 'database').status).toBe('fail');
    expect(line(report, 'database').detail).toMatch(/^cannot open the database: /);
    expect(line(report, 'lockfile').status).toBe('pass');
    expect(r.stderr).toBe('inkstone: deploy check failed: database, migrations\n');
  });

  it('fails when a configured Redis does not answer', async () => {
    const port = await closedPort();
    const r = await runInkstone(['deploy:check', '--json', '--no-audit'], {
      env: production(db.url, { REDIS_URL: `redis://:secret@127.0.0.1:${port}` }),
    });
    expect(r.code).toBe(1);
    const redis = line(JSON.parse(r.stdout) as Report, 'redis');
    expect(redis.status).toBe('fail');
    expect(redis.detail).toContain('ECONNREFUSED');
    expect(redis.detail).not.toContain('secret');
  });

  const redisUp = inject('services').find((p) => p.name === 'redis')?.available === true;
  it.skipIf(!redisUp)('passes the Redis line when Redis answers PING', async () => {
    const r = await runInkstone(['deploy:check', '--json', '--no-audit'], {
      env: production(db.url, { REDIS_URL: serviceUrls.redis }),
    });
    expect(line(JSON.parse(r.stdout) as Report, 'redis')).toEqual({
      name: 'redis',
      status: 'pass',
      detail: 'answers PING',
    });
  });

  it('runs the dependency audit, and an audit the registry refuses is a warning, not a pass', async () => {
    const r = await runInkstone(['deploy:check', '--json'], { env: production(db.url) });
    const audit = line(JSON.parse(r.stdout) as Report, 'audit');
    // Here the registry answers 405 to the audit endpoint; where it answers, the counts decide.
    if (audit.detail.startsWith('dependency audit not done')) expect(audit.status).toBe('warn');
    else expect(audit.detail).toMatch(/critical|no known vulnerabilities/);
  });

  it('exits 2 on a bad option and documents itself in --help', async () => {
    const bad = await runInkstone(['deploy:check', '--bogus'], { env: production(db.url) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '--bogus'");
    const help = await runInkstone(['deploy:check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--no-audit');
    expect(help.stdout).toContain('✓ passed, ! warning');
  });
});
