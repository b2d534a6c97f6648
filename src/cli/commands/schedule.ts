import type { Command } from 'commander';
import { PassThrough, Readable } from 'node:stream';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { configFrom, withApp } from '../context.js';
import { table } from '../format.js';
import { createApp } from '../../app.js';
import { createLogging } from '../../adapters/log/logger.js';
import { buildSchedule, startSchedulerRole } from '../../ops/schedule/scheduler-role.js';
import { cronFor, type CommandRunner } from '../../ops/schedule/task.js';

/**
 * Runs a command of this CLI in-process with captured output: how scheduled commands run. Imported lazily,
 * since program.ts imports this file.
 */
export function inProcessRunner(io: CliIO): CommandRunner {
  return async (args) => {
    const { runCli } = await import('../program.js');
    let output = '';
    const sink = new PassThrough();
    sink.on('data', (d: Buffer) => (output += d.toString()));
    const code = await runCli([...args], {
      ...io,
      stdout: sink,
      stderr: sink,
      stdin: Readable.from([]),
      waitForStop: () => new Promise(() => {}),
      startedBy: 'schedule',
    });
    return { code, output };
  };
}

export function registerScheduleCommands(program: Command, io: CliIO): void {
  program
    .command('schedule:work')
    .description(
      'run the schedule table until SIGTERM/SIGINT (runs in progress finish first); safe on several machines',
    )
    .action(async () => {
      const config = configFrom(io);
      const app = await createApp(config, { logging: createLogging(config, { stdout: io.stdout }) });
      try {
        const scheduler = startSchedulerRole(app, buildSchedule(app, inProcessRunner(io)));
        const signal = await io.waitForStop();
        app.logger.info({ signal }, 'stopping the scheduler: waiting for runs in progress');
        await scheduler.stop();
      } finally {
        await app.close();
      }
    });

  program
    .command('schedule:list')
    .description('list scheduled tasks: cron expression, next run, last run and its outcome')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withApp(io, async (app) => {
        const tz = app.config.schedule.timezone;
        const now = app.clock.now();
        const tasks = buildSchedule(app, inProcessRunner(io));
        return Promise.all(
          tasks.map(async (t) => {
            const last = await app.scheduleRuns.latest(t.name);
            return {
              task: t.name,
              cron: t.cron,
              timezone: tz,
              description: t.description,
              nextRunAt: cronFor(t.cron, tz).nextRun(now)?.toISOString() ?? null,
              lastRun: last
                ? {
                    startedAt: last.startedAt.toISOString(),
                    endedAt: last.endedAt?.toISOString() ?? null,
                    outcome: last.outcome,
                    output: last.output,
                  }
                : null,
            };
          }),
        );
      });
      if (opts.json) return println(io.stdout, JSON.stringify(rows));
      println(
        io.stdout,
        table(
          ['Task', 'Cron', 'Next run', 'Last run', 'Outcome'],
          rows.map((r) => [r.task, r.cron, r.nextRunAt ?? '-', r.lastRun?.startedAt ?? '-', r.lastRun?.outcome ?? '-']),
        ),
      );
      println(io.stdout, `Times in UTC; cron expressions in ${rows[0]?.timezone ?? 'UTC'}.`);
    });
}
