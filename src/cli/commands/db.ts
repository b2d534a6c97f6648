import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { withApp } from '../context.js';
import { CliError } from '../errors.js';
import { formatMs } from '../format.js';
import { checkDatabase } from '../../services/database-check.js';

export function registerDbCommands(program: Command, io: CliIO): void {
  program
    .command('db:check')
    .description('check the connection, pending migrations and the engine integrity check; exit 0 ok, 1 not ok')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const lines = await withApp(io, (app) => checkDatabase({ tools: app.dbTools, migrations: app.migrations }));
      const ok = lines.every((l) => l.ok) && lines.length === 3;
      if (opts.json) println(io.stdout, JSON.stringify({ ok, checks: lines }));
      else
        for (const l of lines)
          println(io.stdout, `${l.ok ? '✓' : '✗'} ${l.name.padEnd(11)} ${l.detail} (${formatMs(l.ms)})`);
      if (!ok)
        throw new CliError(
          `database check failed: ${lines
            .filter((l) => !l.ok)
            .map((l) => l.name)
            .join(', ')}`,
        );
    });

  program
    .command('db:optimize')
    .description('reclaim space and refresh statistics (VACUUM/ANALYZE, OPTIMIZE TABLE, VACUUM ANALYZE)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const started = performance.now();
      const ran = await withApp(io, (app) => app.dbTools.optimize());
      const ms = performance.now() - started;
      if (opts.json) println(io.stdout, JSON.stringify({ ran, ms: Math.round(ms) }));
      else println(io.stdout, `Ran ${ran.join(', ')} in ${formatMs(ms)}.`);
    });
}
