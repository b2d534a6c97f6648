import { describe, expect, it } from 'vitest';
import {
  checkAudit,
  checkBackupAge,
  checkDisk,
  checkMigrations,
} from '../../../src/ops/deploy-check/runtime-checks.js';
import { checkProductionConfig } from '../../../src/ops/deploy-check/config-check.js';
import { testConfig } from '../../support/config.js';

const GB = 1024 ** 3;
const KEY = 'k'.repeat(40);

describe('checkDisk', () => {
  it('passes below 90 % and fails at or above it', () => {
    expect(checkDisk({ path: '/srv', totalBytes: 100 * GB, freeBytes: 11 * GB }).status).toBe('pass');
    const full = checkDisk({ path: '/srv', totalBytes: 100 * GB, freeBytes: 10 * GB });
    expect(full.status).toBe('fail');
    expect(full.detail).toContain('90.0 % used');
  });
});

describe('checkMigrations', () => {
  const applied = { batch: 1, appliedAt: new Date(), missingInCode: false };
  it('passes when everything is applied', () => {
    expect(checkMigrations([{ name: '0001_a', ...applied }]).status).toBe('pass');
  });
  it('lists pending migrations as a warning', () => {
    const r = checkMigrations([
      { name: '0001_a', ...applied },
      { name: '0002_b', batch: null, appliedAt: null, missingInCode: false },
    ]);
    expect(r).toMatchObject({ status: 'warn' });
    expect(r.detail).toContain('1 pending');
    expect(r.detail).toContain('0002_b');
  });
  it('warns about migrations a newer version applied', () => {
    const r = checkMigrations([{ name: '0009_new', batch: 2, appliedAt: new Date(), missingInCode: true }]);
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('0009_new');
  });
});

describe('checkBackupAge', () => {
  const now = new Date('2026-01-02T12:00:00Z');
  it('passes for a backup younger than a day and warns for an older one', () => {
    expect(checkBackupAge({ kind: 'found', id: 'b1', createdAt: new Date('2026-01-02T02:00:00Z') }, now).status).toBe(
      'pass',
    );
    const old = checkBackupAge({ kind: 'found', id: 'b0', createdAt: new Date('2026-01-01T02:00:00Z') }, now);
    expect(old.status).toBe('warn');
    expect(old.detail).toContain('34.0 h old');
  });
  it('warns when there is no backup or no backup feature', () => {
    expect(checkBackupAge({ kind: 'none' }, now).status).toBe('warn');
    expect(checkBackupAge({ kind: 'unavailable', reason: 'backups not available in this build' }, now)).toEqual({
      name: 'backup',
      status: 'warn',
      detail: 'backups not available in this build',
    });
  });
});

describe('checkAudit', () => {
  const counts = { info: 0, low: 0, moderate: 0, high: 0, critical: 0 };
  it('passes on a clean audit, warns on low/moderate, fails on high/critical', () => {
    expect(checkAudit({ kind: 'done', counts }).status).toBe('pass');
    expect(checkAudit({ kind: 'done', counts: { ...counts, moderate: 2 } }).status).toBe('warn');
    expect(checkAudit({ kind: 'done', counts: { ...counts, high: 1 } }).status).toBe('fail');
  });
  it('is a warning, not a pass, when the audit could not run', () => {
    const r = checkAudit({ kind: 'unavailable', reason: 'registry answered 405' });
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('405');
  });
});

describe('checkProductionConfig', () => {
  const prod = { APP_ENV: 'production', APP_KEY: KEY, APP_URL: 'https://blog.example.com', AUTO_MIGRATE: 'false' };
  it('passes a complete production config', () => {
    expect(checkProductionConfig(testConfig(prod)).status).toBe('pass');
  });
  it('fails outside production, without a key, or with debug logging', () => {
    const dev = checkProductionConfig(testConfig({ APP_ENV: 'development' }));
    expect(dev.status).toBe('fail');
    expect(dev.detail).toContain('APP_ENV is development');
    expect(dev.detail).toContain('APP_KEY');
    const debug = checkProductionConfig(testConfig({ ...prod, LOG_LEVEL: 'debug' }));
    expect(debug.detail).toContain('LOG_LEVEL is debug');
  });
  it('warns on plain http, migrations at boot and a database without password', () => {
    const r = checkProductionConfig(
      testConfig({
        ...prod,
        APP_URL: 'http://blog.example.com',
        AUTO_MIGRATE: 'true',
        DATABASE_URL: 'mysql://root@db.internal:3306/blog',
      }),
    );
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('not https');
    expect(r.detail).toContain('AUTO_MIGRATE');
    expect(r.detail).toContain('no password');
  });
});
