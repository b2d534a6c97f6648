import { InvalidArgumentError, type Command } from 'commander';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { configFrom } from '../context.js';
import { CliError } from '../errors.js';
import { formatMs, parseWholeNumber, table } from '../format.js';
import { createBackupDeps } from '../../app.js';
import { createLogger } from '../../adapters/log/logger.js';
import type { BackupDeps } from '../../ops/backup/deps.js';
import { runBackup } from '../../ops/backup/run-backup.js';
import { cleanBackups, listBackups, monitorBackups } from '../../ops/backup/maintain.js';
import { DEFAULT_GFS, type RetentionPolicy } from '../../ops/backup/retention.js';
import { restoreBackup } from '../../ops/restore/restore-backup.js';
import { reported } from '../../ops/backup/report.js';
import { withBackupLock } from '../../ops/backup/backup-lock.js';

function depsFor(io: CliIO): BackupDeps {
  const config = configFrom(io);
  const level = config.log.level === 'silent' || config.log.level === 'error' ? config.log.level : 'warn';
  return createBackupDeps(config, createLogger({ ...config, log: { level } }, io.stderr));
}

/** Step lines on stderr, only when a person is watching. */
function progressFor(io: CliIO, json: boolean | undefined): ((step: string) => void) | undefined {
  if (json || !io.stderr.isTTY) return undefined;
  return (step) => io.stderr.write(`… ${step}\n`);
}

function only(opts: { onlyDb?: boolean; onlyFiles?: boolean }): 'db' | 'files' | undefined {
  if (opts.onlyDb && opts.onlyFiles) throw new CliError('choose one of --only-db and --only-files', 2);
  return opts.onlyDb ? 'db' : opts.onlyFiles ? 'files' : undefined;
}

const parseDestinations = (value: string): string[] => {
  const names = value.split(',').map((s) => s.trim());
  if (names.length === 0 || names.some((n) => n !== 'local' && n !== 's3')) {
    throw new InvalidArgumentError('--destination expects local, s3 or local,s3.');
  }
  return names;
};

const parseUtc = (value: string): Date => {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})Z?$/.exec(value.trim());
  const d = m ? new Date(`${m[1]}T${m[2]}Z`) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new InvalidArgumentError('--to-time expects "YYYY-MM-DD HH:MM:SS" (UTC).');
  return d;
};

const WAIT_HELP =
  'when another backup, restore or clean holds the lock, wait up to this many seconds (default: fail at once)';

/** Lock options for a command: who we are (for whoever is refused) and how long to wait. */
function lockFor(io: CliIO, what: string, wait: number | undefined, json: boolean | undefined) {
  return {
    what: `${what} (${io.startedBy ?? 'cli'})`,
    waitMs: (wait ?? 0) * 1000,
    onWait: json ? undefined : (holder: string) => io.stderr.write(`waiting for the backup lock: ${holder}\n`),
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const age = (ms: number) =>
  ms < 3_600_000
    ? `${Math.round(ms / 60_000)} min`
    : ms < 172_800_000
      ? `${(ms / 3_600_000).toFixed(1)} h`
      : `${Math.round(ms / 86_400_000)} d`;

export function registerBackupCommands(program: Command, io: CliIO): void {
  program
    .command('backup:run')
    .description('make one verified backup set (database, storage/app + storage/logs, encrypted env file)')
    .option('--only-db', 'back up the database only')
    .option('--only-files', 'back up the files (and env file) only')
    .option('--incremental', 'only what changed since the previous backup (MySQL/MariaDB binlogs, SQLite pages)')
    .option('--destination <names>', 'local, s3 or local,s3 (default BACKUP_DESTINATIONS)', parseDestinations)
    .option('--with-redis', 'add an RDB snapshot of REDIS_URL')
    .option('--wait <seconds>', WAIT_HELP, parseWholeNumber('--wait', 0))
    .option('--json', 'print a JSON summary')
    .action(
      async (opts: {
        onlyDb?: boolean;
        onlyFiles?: boolean;
        incremental?: boolean;
        destination?: string[];
        withRedis?: boolean;
        wait?: number;
        json?: boolean;
      }) => {
        const scope = only(opts);
        const deps = depsFor(io);
        const result = await reported(
          deps,
          'backup',
          () =>
            withBackupLock(deps, lockFor(io, 'backup:run', opts.wait, opts.json), () =>
              runBackup(deps, {
                only: scope,
                incremental: opts.incremental,
                destinations: opts.destination,
                withRedis: opts.withRedis,
                onProgress: progressFor(io, opts.json),
              }),
            ),
          (r) => ({
            id: r.manifest.id,
            message: `${r.manifest.kind} backup, ${mb(r.manifest.parts.reduce((n, p) => n + p.size, 0))} on ${r.manifest.destinations.join(', ')}`,
          }),
        );
        const m = result.manifest;
        const size = m.parts.reduce((n, p) => n + p.size, 0);
        if (opts.json) {
          return println(
            io.stdout,
            JSON.stringify({
              id: m.id,
              kind: m.kind,
              baseId: m.baseId,
              parentId: m.parentId,
              size,
              durationMs: m.durationMs,
              destinations: m.destinations,
              failedDestinations: result.failedDestinations,
              parts: m.parts.map((p) => ({ name: p.file, size: p.size })),
              notes: m.notes,
              cleanedLeftovers: result.cleanedLeftovers,
            }),
          );
        }
        println(
          io.stdout,
          `Backup ${m.id} (${m.kind}${m.baseId ? ` on ${m.baseId}` : ''}): ${m.parts.length} part(s), ${mb(size)}, ${formatMs(m.durationMs)}, on ${m.destinations.join(', ')}.`,
        );
        for (const n of m.notes) println(io.stdout, `note: ${n}`);
        for (const f of result.failedDestinations)
          println(io.stdout, `warning: destination ${f.name} failed: ${f.error}`);
      },
    );

  program
    .command('backup:list')
    .description('list backup sets on every configured destination')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await listBackups(depsFor(io));
      if (opts.json) return println(io.stdout, JSON.stringify({ backups: list }));
      if (list.length === 0) return println(io.stdout, 'No backups.');
      println(
        io.stdout,
        table(
          ['id', 'kind', 'base', 'size', 'age', 'destinations', 'verified'],
          list.map((b) => [
            b.id,
            b.safety ? `${b.kind} (safety)` : b.kind,
            b.baseId ?? '-',
            mb(b.size),
            age(b.ageMs),
            b.destinations.join(','),
            b.verified ? 'yes' : 'no',
          ]),
        ),
      );
    });

  program
    .command('backup:clean')
    .description(
      'remove old backups: older than --days (default 30), or by --gfs policy; keeps the newest and every base a kept incremental needs',
    )
    .option('--days <n>', 'keep backups younger than this many days', parseWholeNumber('--days', 1))
    .option(
      '--gfs',
      'grandfather-father-son: all 7 days, daily 16 days, weekly 8 weeks, monthly 4 months, yearly 2 years',
    )
    .option(
      '--max-mb <n>',
      'with --gfs: also remove the oldest until the total is under this size',
      parseWholeNumber('--max-mb', 1),
    )
    .option('--dry-run', 'only say what would be removed')
    .option('--wait <seconds>', WAIT_HELP, parseWholeNumber('--wait', 0))
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        days?: number;
        gfs?: boolean;
        maxMb?: number;
        dryRun?: boolean;
        wait?: number;
        json?: boolean;
      }) => {
        if (opts.gfs && opts.days !== undefined) throw new CliError('choose one of --days and --gfs', 2);
        if (opts.maxMb !== undefined && !opts.gfs) throw new CliError('--max-mb goes with --gfs', 2);
        const policy: RetentionPolicy = opts.gfs
          ? { ...DEFAULT_GFS, maxBytes: opts.maxMb === undefined ? undefined : opts.maxMb * 1024 * 1024 }
          : { type: 'days', days: opts.days ?? 30 };
        const deps = depsFor(io);
        const clean = () => cleanBackups(deps, policy, opts.dryRun ?? false);
        // Removing sets while a run writes could drop the base its incremental is being built on; a dry run only reads.
        const result = opts.dryRun
          ? await clean()
          : await withBackupLock(deps, lockFor(io, 'backup:clean', opts.wait, opts.json), clean);
        if (opts.json) return println(io.stdout, JSON.stringify(result));
        const verb = result.dryRun ? 'Would remove' : 'Removed';
        println(
          io.stdout,
          result.removed.length
            ? `${verb} ${result.removed.length}: ${result.removed.join(', ')}`
            : 'Nothing to remove.',
        );
        println(io.stdout, `Kept ${result.kept.length}.`);
      },
    );

  program
    .command('backup:monitor')
    .description('exit 0 when the newest backup is younger than BACKUP_MAX_AGE and all fit in BACKUP_MAX_MB, else 1')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const r = await monitorBackups(depsFor(io));
      if (opts.json) println(io.stdout, JSON.stringify(r));
      else if (r.ok)
        println(
          io.stdout,
          `✓ newest backup ${r.newest!.id} is ${age(r.newest!.ageMs)} old; ${mb(r.totalBytes)} in all`,
        );
      if (!r.ok) throw new CliError(`backups unhealthy: ${r.problems.join('; ')}`);
    });

  program
    .command('backup:restore <id>')
    .description('verify, take a safety backup, then restore a backup set (and its chain); compares row counts')
    .option('--only-db', 'restore the database only')
    .option('--only-files', 'restore the files (and env file beside the live one) only')
    .option('--to-time <utc>', 'MySQL/MariaDB: replay binary logs up to this UTC time, "YYYY-MM-DD HH:MM:SS"', parseUtc)
    .option('--with-redis', "also restore the set's Redis snapshot into REDIS_URL (the blog's REDIS_PREFIX keys)")
    .option('--force', 'allow running in production (APP_ENV=production)')
    .option('--wait <seconds>', WAIT_HELP, parseWholeNumber('--wait', 0))
    .option('--json', 'print a JSON summary')
    .action(
      async (
        id: string,
        opts: {
          onlyDb?: boolean;
          onlyFiles?: boolean;
          toTime?: Date;
          withRedis?: boolean;
          force?: boolean;
          wait?: number;
          json?: boolean;
        },
      ) => {
        const scope = only(opts);
        const deps = depsFor(io);
        const r = await reported(
          deps,
          'restore',
          () =>
            withBackupLock(deps, lockFor(io, 'backup:restore', opts.wait, opts.json), () =>
              restoreBackup(deps, id, {
                only: scope,
                toTime: opts.toTime,
                withRedis: opts.withRedis,
                force: opts.force,
                onProgress: progressFor(io, opts.json),
              }),
            ),
          (res) => ({
            id: res.id,
            message: `restored chain ${res.chain.join(' → ')}; safety backup ${res.safetyBackupId ?? 'none'}`,
          }),
        );
        if (opts.json) println(io.stdout, JSON.stringify(r));
        else {
          println(io.stdout, `Restored ${r.chain.join(' → ')} (safety backup: ${r.safetyBackupId ?? 'none'}).`);
          if (r.restored.redis)
            println(
              io.stdout,
              `Redis: ${r.restored.redis.restored} key(s) restored, ${r.restored.redis.removed} removed that were not in the backup.`,
            );
          if (r.cacheCleared !== null)
            println(
              io.stdout,
              `Shared cache emptied (${r.cacheCleared} entr${r.cacheCleared === 1 ? 'y' : 'ies'}): pages render from the restored data.`,
            );
          if (r.cacheError !== undefined)
            println(io.stderr, `warning: the shared cache was not emptied (${r.cacheError}); run inkstone cache:clear`);
          if (r.restored.env)
            println(io.stdout, `The backed-up env file is at ${r.restored.env}; compare it with the live one.`);
          if (r.tables.length) {
            println(
              io.stdout,
              table(
                ['table', 'backup', 'now'],
                r.tables.map((t) => [t.table, String(t.expected ?? '-'), String(t.actual ?? '-')]),
              ),
            );
          }
        }
        if (!r.countsMatch) throw new CliError('row counts differ from the backup manifest (see the table above)');
      },
    );
}
