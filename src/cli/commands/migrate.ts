import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { withApp } from '../context.js';
import { formatMs, parseWholeNumber, table } from '../format.js';
import type { MigratorEvent } from '../../adapters/db/migrator.js';

export function registerMigrateCommands(program: Command, io: CliIO): void {
  program
    .command('migrate')
    .description('apply pending migrations (in production only with --force)')
    .option('--force', 'allow running in production (APP_ENV=production)')
    .option('--pretend', 'print the SQL each pending migration would run; change nothing')
    .option('--json', 'print a JSON summary instead of progress lines')
    .action(async (opts: { force?: boolean; pretend?: boolean; json?: boolean }) => {
      const onMigratorEvent = opts.json ? undefined : progressPrinter(io);
      await withApp(
        io,
        async (app) => {
          if (opts.pretend) {
            const plan = await app.migrations.pretend();
            if (opts.json) return println(io.stdout, JSON.stringify({ pending: plan }));
            if (plan.length === 0) return println(io.stdout, 'Nothing to migrate.');
            for (const m of plan) {
              println(io.stdout, `-- ${m.name}`);
              for (const s of m.statements) println(io.stdout, s);
              println(io.stdout);
            }
            return;
          }
          const result = await app.migrations.migrate({ force: opts.force });
          if (opts.json) return println(io.stdout, JSON.stringify(result));
          if (result.applied.length === 0) println(io.stdout, 'Nothing to migrate.');
          else println(io.stdout, `Applied ${result.applied.length} migration(s) as batch ${result.batch}.`);
        },
        { onMigratorEvent },
      );
    });

  program
    .command('migrate:rollback')
    .description('roll back the last batch of migrations, or the last N with --step')
    .option('--step <n>', 'roll back this many migrations', parseWholeNumber('--step', 1))
    .option('--force', 'allow running in production (APP_ENV=production)')
    .option('--json', 'print a JSON summary instead of progress lines')
    .action(async (opts: { step?: number; force?: boolean; json?: boolean }) => {
      await withApp(
        io,
        async (app) => {
          const result = await app.migrations.rollback({ step: opts.step, force: opts.force });
          if (opts.json) return println(io.stdout, JSON.stringify(result));
          println(
            io.stdout,
            result.rolledBack.length === 0
              ? 'Nothing to roll back.'
              : `Rolled back ${result.rolledBack.length} migration(s).`,
          );
        },
        { onMigratorEvent: opts.json ? undefined : progressPrinter(io) },
      );
    });

  program
    .command('migrate:status')
    .description('list every migration with its batch and when it was applied')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withApp(io, async (app) => {
        const states = await app.migrations.status();
        if (opts.json) return println(io.stdout, JSON.stringify(states));
        const rows = states.map((s) => [
          s.name,
          s.missingInCode ? 'applied, unknown to this version' : s.batch === null ? 'pending' : 'applied',
          s.batch === null ? '' : String(s.batch),
          s.appliedAt ? s.appliedAt.toISOString() : '',
        ]);
        println(io.stdout, table(['Migration', 'Status', 'Batch', 'Applied at'], rows));
        const pending = states.filter((s) => s.batch === null).length;
        println(io.stdout, `\n${states.length - pending} applied, ${pending} pending.`);
      });
    });
}

function progressPrinter(io: CliIO): (event: MigratorEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'waiting-for-lock':
        println(io.stderr, `Waiting for another migration run to finish${event.holder ? ` (${event.holder})` : ''}...`);
        break;
      case 'applied':
        println(io.stdout, `Migrated:    ${event.name} (${formatMs(event.ms)})`);
        break;
      case 'rolled-back':
        println(io.stdout, `Rolled back: ${event.name} (${formatMs(event.ms)})`);
        break;
      default:
        break;
    }
  };
}
