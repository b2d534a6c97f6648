import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The deploy scripts' decisions, with a scripted runtime (see scripted-runtime.sh): what runs in which order,
// where they stop on a failure, and what is left in front. The deploy drill runs the same scripts for real.
const SCRIPTS = resolve('docker/scripts');
let dir: string;

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('bash', [join(SCRIPTS, script), ...args], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      INKSTONE_RUNTIME: resolve('test/docker/scripted-runtime.sh'),
      INKSTONE_STATE_DIR: join(dir, 'state'),
      INKSTONE_UPSTREAM_FILE: join(dir, 'upstream.conf'),
      INKSTONE_READY_TIMEOUT: '1',
      FAKE_DIR: dir,
      ...env,
    },
  });
  return { code: r.status, stderr: r.stderr };
}
const calls = (): string[] => {
  try {
    return readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
  } catch {
    return [];
  }
};
const state = (name: string) => readFileSync(join(dir, 'state', name), 'utf8').trim();
const upstream = () => readFileSync(join(dir, 'upstream.conf'), 'utf8');
const resetCalls = () => rmSync(join(dir, 'calls'), { force: true });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inkstone-deploy-scripts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('deploy.sh', () => {
  it('first deploy: blue starts, is ready, backup, migrate, switch, workers; nothing is stopped', () => {
    const r = run('deploy.sh', ['1.0.0']);
    expect(r.code, r.stderr).toBe(0);
    expect(calls()).toEqual([
      'start blue 1.0.0',
      'inkstone blue backup:run --only-db',
      'inkstone blue migrate --force',
      'reload blue ',
      'workers 1.0.0',
    ]);
    expect(state('active')).toBe('blue');
    expect(r.stderr).toContain('deployed 1.0.0');
  });

  it('next deploy goes to the other colour, switches, then drains the old one', () => {
    run('deploy.sh', ['1.0.0']);
    resetCalls();
    const r = run('deploy.sh', ['1.1.0', '--skip-backup']);
    expect(r.code, r.stderr).toBe(0);
    expect(calls()).toEqual([
      'start green 1.1.0',
      'inkstone green migrate --force',
      'reload green ',
      'workers 1.1.0',
      'stop blue',
    ]);
    expect(state('active')).toBe('green');
    expect(state('previous')).toBe('blue 1.0.0');
  });

  it('a version that never becomes ready is stopped and the old one keeps serving', () => {
    run('deploy.sh', ['1.0.0']);
    resetCalls();
    const r = run('deploy.sh', ['1.1.0'], { FAKE_NEVER_READY: '1.1.0' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1.1.0 never became ready; blue still serves 1.0.0');
    expect(calls()).toEqual(['start green 1.1.0', 'stop green']);
    expect(state('active')).toBe('blue');
    expect(upstream()).toContain('server blue:3000;');
  });

  it('a failed backup migrates nothing; a failed migration switches nothing', () => {
    run('deploy.sh', ['1.0.0']);
    resetCalls();
    const backup = run('deploy.sh', ['1.1.0'], { FAKE_FAIL: 'backup:run' });
    expect(backup.code).toBe(1);
    expect(backup.stderr).toContain('backup failed, so nothing was migrated');
    expect(calls().some((c) => c.includes('migrate'))).toBe(false);

    resetCalls();
    const migrate = run('deploy.sh', ['1.1.0'], { FAKE_FAIL: 'migrate' });
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toContain('migration failed');
    expect(calls().some((c) => c.startsWith('reload'))).toBe(false);
    expect(calls().at(-1)).toBe('stop green');
    expect(state('active')).toBe('blue');
  });

  it('exits 2 with usage on a missing version or an unknown option', () => {
    expect(run('deploy.sh', []).code).toBe(2);
    const bad = run('deploy.sh', ['1.0.0', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage:');
  });
});

describe('rollback.sh', () => {
  it('puts the old version in front, rolls back the migrations it does not know with the newer build, restores', () => {
    run('deploy.sh', ['1.0.0']);
    run('deploy.sh', ['1.1.0']);
    resetCalls();
    const r = run('rollback.sh', ['1.0.0', 'b-20260101'], {
      FAKE_STATUS: '[{"name":"0001","missingInCode":false},{"name":"0009_new","missingInCode":true}]',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(calls()).toEqual([
      'start blue 1.0.0',
      'inkstone blue migrate:status --json',
      'reload blue ',
      'workers 1.0.0',
      'inkstone green migrate:rollback --step=1 --force',
      'inkstone blue backup:restore b-20260101 --only-db',
      'stop green',
    ]);
    expect(state('active')).toBe('blue');
  });

  it('refuses when nothing was deployed, and on bad usage', () => {
    const none = run('rollback.sh', ['1.0.0']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('nothing is deployed yet');
    expect(run('rollback.sh', []).code).toBe(2);
    expect(run('rollback.sh', ['1', '2', '3']).code).toBe(2);
  });
});

describe('rolling.sh', () => {
  it('updates the idle colour first, migrates once, and ends with both in front', () => {
    run('deploy.sh', ['1.0.0']);
    resetCalls();
    const r = run('rolling.sh', ['1.1.0', '--skip-backup']);
    expect(r.code, r.stderr).toBe(0);
    expect(calls()).toEqual([
      'start green 1.1.0',
      'inkstone green migrate --force',
      'reload blue green ',
      'reload green ',
      'stop blue',
      'start blue 1.1.0',
      'reload blue green ',
      'workers 1.1.0',
    ]);
  });

  it('a later blue-green deploy takes the running idle colour out first', () => {
    run('deploy.sh', ['1.0.0']);
    run('rolling.sh', ['1.1.0']);
    resetCalls();
    expect(run('deploy.sh', ['1.2.0']).code).toBe(0);
    expect(calls().slice(0, 3)).toEqual(['reload blue ', 'stop green', 'start green 1.2.0']);
  });
});
