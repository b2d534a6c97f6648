import type { Config } from '../../config/index.js';
import type { MigrationState } from '../../adapters/db/migrator.js';
import { fail, pass, warn, type CheckName, type CheckResult } from './check-result.js';
import { checkLockfile, checkNodeVersion, type Lockfile, type PackageManifest } from './package-checks.js';
import {
  checkAudit,
  checkBackupAge,
  checkDisk,
  checkMigrations,
  type AuditOutcome,
  type DiskUsage,
} from './runtime-checks.js';
import { checkProductionConfig } from './config-check.js';
import type { BackupCatalog } from './backup-catalog.js';

/** What the checklist reads from the world; the CLI binds each to an adapter. */
export interface DeployCheckPorts {
  config: Config;
  nodeVersion: string;
  readManifest(): Promise<PackageManifest>;
  readLockfile(): Promise<Lockfile | undefined>;
  pingDatabase(): Promise<void>;
  migrationStatus(): Promise<MigrationState[]>;
  /** Absent when no REDIS_URL is configured. */
  pingRedis: (() => Promise<void>) | undefined;
  diskUsage(): Promise<DiskUsage>;
  backups: BackupCatalog;
  /** Absent when the operator skipped the audit (--no-audit). */
  audit: (() => Promise<AuditOutcome>) | undefined;
  now(): Date;
}

export interface DeployCheckReport {
  ok: boolean;
  checks: CheckResult[];
}

/**
 * The design's pre-deploy checklist (section 4.2), each item independent: one that throws becomes a failed line
 * with the reason, and the rest still run, so the operator sees everything that is wrong at once.
 */
export async function runDeployCheck(ports: DeployCheckPorts): Promise<DeployCheckReport> {
  const guard = async (name: CheckName, fn: () => Promise<CheckResult>): Promise<CheckResult> => {
    try {
      return await fn();
    } catch (err) {
      return fail(name, (err as Error).message || String(err));
    }
  };
  const dialect = ports.config.database.primary.dialect;
  const checks = await Promise.all([
    guard('node', async () => checkNodeVersion(ports.nodeVersion, await ports.readManifest())),
    guard('lockfile', async () => checkLockfile(await ports.readManifest(), await ports.readLockfile())),
    guard('database', async () => {
      await ports.pingDatabase();
      return pass('database', `${dialect} answers`);
    }),
    guard('redis', async () => {
      if (ports.pingRedis === undefined) return pass('redis', 'not configured (REDIS_URL unset): embedded drivers');
      await ports.pingRedis();
      return pass('redis', 'answers PING');
    }),
    guard('disk', async () => checkDisk(await ports.diskUsage())),
    guard('migrations', async () => checkMigrations(await ports.migrationStatus())),
    guard('backup', async () => checkBackupAge(await ports.backups.newest(), ports.now())),
    guard('config', () => Promise.resolve(checkProductionConfig(ports.config))),
    guard('audit', async () =>
      ports.audit === undefined ? warn('audit', 'skipped (--no-audit)') : checkAudit(await ports.audit()),
    ),
  ]);
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}
