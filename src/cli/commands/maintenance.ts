import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { withApp } from '../context.js';
import { parseWholeNumber } from '../format.js';
import { deleteExpiredSessions } from '../../adapters/db/repositories/session-gc.js';
import { deleteLogFilesBefore } from '../../adapters/log/log-files.js';

const DAY_MS = 86_400_000;

/** Housekeeping the schedule runs (operations design 7.1); each is safe to run by hand at any time. */
export function registerMaintenanceCommands(program: Command, io: CliIO): void {
  program
    .command('session:gc')
    .description('delete expired sessions')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const n = await withApp(io, (app) => deleteExpiredSessions(app.db.primary, app.clock.now()));
      println(io.stdout, opts.json ? JSON.stringify({ deleted: n }) : `Deleted ${n} expired session(s).`);
    });

  program
    .command('log:clear')
    .description('delete log files (LOG_DIR, default storage/logs) last written more than --days ago')
    .option('--days <n>', 'keep this many days of logs', parseWholeNumber('--days', 1), 14)
    .option('--json', 'print JSON')
    .action(async (opts: { days: number; json?: boolean }) => {
      const { dir, deleted } = await withApp(io, async (app) => ({
        dir: app.config.log.dir,
        deleted: await deleteLogFilesBefore(
          app.config.log.dir,
          new Date(app.clock.now().getTime() - opts.days * DAY_MS),
        ),
      }));
      if (opts.json) println(io.stdout, JSON.stringify({ dir, deleted }));
      else println(io.stdout, `Deleted ${deleted.length} log file(s) older than ${opts.days} day(s) from ${dir}.`);
    });

  program
    .command('cache:clear')
    .description("delete every entry of this blog's cache (Redis when REDIS_URL is set, else in-process)")
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { driver, n } = await withApp(io, async (app) => ({
        driver: app.cache.driver,
        n: await app.cache.clear(),
      }));
      if (opts.json) println(io.stdout, JSON.stringify({ driver, deleted: n }));
      else if (driver === 'memory') {
        // An in-process cache lives in each server process; a separate command cannot reach it.
        println(
          io.stdout,
          'The cache is in-process (no REDIS_URL): each server clears it on restart; nothing shared to clear.',
        );
      } else println(io.stdout, `Deleted ${n} cache entr${n === 1 ? 'y' : 'ies'}.`);
    });
}
