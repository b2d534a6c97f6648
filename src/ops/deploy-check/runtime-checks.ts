import type { MigrationState } from '../../adapters/db/migrator.js';
import { fail, pass, warn, type CheckResult } from './check-result.js';

export const DISK_USAGE_LIMIT_PERCENT = 90;
export const BACKUP_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface DiskUsage {
  path: string;
  totalBytes: number;
  freeBytes: number;
}

/** Above 90 % used a deploy (new image layers, a pre-migration backup) can fill the disk half-way. */
export function checkDisk(usage: DiskUsage): CheckResult {
  const usedPercent = usage.totalBytes === 0 ? 100 : (1 - usage.freeBytes / usage.totalBytes) * 100;
  const detail = `${usedPercent.toFixed(1)} % used on the volume of ${usage.path}, ${formatBytes(usage.freeBytes)} free`;
  return usedPercent < DISK_USAGE_LIMIT_PERCENT
    ? pass('disk', detail)
    : fail('disk', `${detail} (limit ${DISK_USAGE_LIMIT_PERCENT} %)`);
}

/** Pending migrations are normal before a deploy, so they are listed as a warning, never a failure. */
export function checkMigrations(states: MigrationState[]): CheckResult {
  const pending = states.filter((s) => s.batch === null).map((s) => s.name);
  const unknown = states.filter((s) => s.missingInCode).map((s) => s.name);
  if (unknown.length > 0) {
    return warn(
      'migrations',
      `the database has migrations this version does not know: ${unknown.join(', ')} (a newer version ran here; roll them back before running this one)`,
    );
  }
  if (pending.length > 0) {
    return warn('migrations', `${pending.length} pending, applied by migrate --force: ${pending.join(', ')}`);
  }
  return pass('migrations', `all ${states.length} applied`);
}

/** What the backup catalog can say about the newest backup. */
export type NewestBackup =
  { kind: 'unavailable'; reason: string } | { kind: 'none' } | { kind: 'found'; id: string; createdAt: Date };

export function checkBackupAge(newest: NewestBackup, now: Date): CheckResult {
  if (newest.kind === 'unavailable') return warn('backup', newest.reason);
  if (newest.kind === 'none') return warn('backup', 'no backup yet: run inkstone backup:run before deploying');
  const ageMs = now.getTime() - newest.createdAt.getTime();
  const age = `${(ageMs / 3_600_000).toFixed(1)} h old`;
  return ageMs <= BACKUP_MAX_AGE_MS
    ? pass('backup', `newest backup ${newest.id} is ${age}`)
    : warn('backup', `newest backup ${newest.id} is ${age}, older than a day: run inkstone backup:run`);
}

export type AuditOutcome =
  | { kind: 'done'; counts: Record<'info' | 'low' | 'moderate' | 'high' | 'critical', number> }
  | { kind: 'unavailable'; reason: string };

/** High or critical advisories block; lower ones warn. An audit that could not run is a warning, not a pass. */
export function checkAudit(outcome: AuditOutcome): CheckResult {
  if (outcome.kind === 'unavailable') return warn('audit', `dependency audit not done: ${outcome.reason}`);
  const c = outcome.counts;
  const summary = `${c.critical} critical, ${c.high} high, ${c.moderate} moderate, ${c.low} low`;
  if (c.critical + c.high > 0) return fail('audit', `${summary} (run npm audit for details)`);
  if (c.moderate + c.low > 0) return warn('audit', summary);
  return pass('audit', 'no known vulnerabilities in production dependencies');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
