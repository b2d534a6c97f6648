import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { configFrom, withApp } from '../context.js';
import { CliError } from '../errors.js';
import type { App } from '../../app.js';
import { createLogger } from '../../adapters/log/logger.js';
import { ConfigError } from '../../config/index.js';
import { PACKAGE_ROOT } from '../../version.js';
import { readDiskUsage } from '../../adapters/system/disk-usage.js';
import { pingRedis } from '../../adapters/system/redis-ping.js';
import { readLockfile, readManifest } from '../../adapters/system/package-files.js';
import { runNpmAudit } from '../../adapters/system/npm-audit.js';
import {
  runDeployCheck,
  type DeployCheckPorts,
  type DeployCheckReport,
} from '../../ops/deploy-check/run-deploy-check.js';
import { backupCatalog } from '../../ops/deploy-check/backup-catalog.js';
import { createBackupDeps } from '../../app.js';
import type { CheckResult } from '../../ops/deploy-check/check-result.js';

const MARK: Record<CheckResult['status'], string> = { pass: '✓', warn: '!', fail: '✗' };

export function registerDeployCommands(program: Command, io: CliIO): void {
  program
    .command('deploy:check')
    .description(
      'pre-deploy checklist: Node vs engines, lockfile, database, Redis, disk < 90 %, pending migrations, ' +
        'backup age, production config, dependency audit; exit 0 when nothing failed, 1 otherwise',
    )
    .option('--json', 'print JSON: {ok, checks:[{name, status, detail}]}')
    .option('--no-audit', 'skip the dependency audit (it needs the npm registry)')
    .addHelpText('after', '\nLines: ✓ passed, ! warning (does not fail the check), ✗ failed.')
    .action(async (opts: { json?: boolean; audit: boolean }) => {
      const config = configFrom(io);
      const ports = (app: App | undefined, appError?: unknown): DeployCheckPorts => {
        // The database may be the thing that is down: the other checks still run and the line says why.
        const needApp = (): App => {
          if (app !== undefined) return app;
          throw new Error(`cannot open the database: ${(appError as Error | undefined)?.message ?? 'unknown error'}`);
        };
        return {
          config,
          nodeVersion: process.version,
          readManifest: () => readManifest(PACKAGE_ROOT),
          readLockfile: () => readLockfile(PACKAGE_ROOT),
          pingDatabase: () => needApp().dbTools.ping(),
          migrationStatus: () => needApp().migrations.status(),
          pingRedis: config.redisUrl === undefined ? undefined : () => pingRedis(config.redisUrl!),
          diskUsage: () => readDiskUsage(config.storageDir),
          backups: backupCatalog(createBackupDeps(config, app?.logger ?? createLogger(config))),
          audit: opts.audit ? () => runNpmAudit(PACKAGE_ROOT) : undefined,
          now: () => new Date(),
        };
      };
      let report: DeployCheckReport;
      try {
        report = await withApp(io, (app) => runDeployCheck(ports(app)));
      } catch (err) {
        // runDeployCheck never throws: this is the app failing to open (the database), not a check.
        if (err instanceof ConfigError) throw err;
        report = await runDeployCheck(ports(undefined, err));
      }
      if (opts.json) println(io.stdout, JSON.stringify(report));
      else {
        for (const c of report.checks) println(io.stdout, `${MARK[c.status]} ${c.name.padEnd(10)} ${c.detail}`);
        const count = (s: CheckResult['status']) => report.checks.filter((c) => c.status === s).length;
        println(io.stdout, `\n${count('pass')} passed, ${count('warn')} warning(s), ${count('fail')} failed.`);
      }
      if (!report.ok) {
        const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.name);
        throw new CliError(`deploy check failed: ${failed.join(', ')}`);
      }
    });
}
