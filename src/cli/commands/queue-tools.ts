import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { withApp } from '../context.js';
import { CliError } from '../errors.js';
import { formatMs, parseWholeNumber, table } from '../format.js';
import { parseSecondsOption, parseThresholds } from '../queue-options.js';
import { checkQueues } from '../../services/queue-monitor.js';

const oneLine = (text: string, max = 60) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** The operator's queue tools (operations design 6.2.4 and 6.3.3). */
export function registerQueueToolCommands(program: Command, io: CliIO): void {
  program
    .command('queue:failed')
    .description('list failed jobs: id, queue, job, tries, when, error')
    .option('--json', 'print JSON (with payload and stack)')
    .action(async (opts: { json?: boolean }) => {
      const failed = await withApp(io, (app) => app.queue.listFailed());
      if (opts.json) return println(io.stdout, JSON.stringify(failed));
      if (failed.length === 0) return println(io.stdout, 'No failed jobs.');
      const rows = failed.map((f) => [
        f.id,
        f.queue,
        f.name,
        String(f.attempts),
        f.failedAt.toISOString(),
        oneLine(f.error),
      ]);
      println(io.stdout, table(['ID', 'Queue', 'Job', 'Tries', 'Failed at', 'Error'], rows));
    });

  program
    .command('queue:retry')
    .description('put failed jobs back on their queue with fresh tries: ids from queue:failed, or all')
    .argument('<ids...>', 'failed job ids, or "all"')
    .option('--json', 'print JSON')
    .action(async (ids: string[], opts: { json?: boolean }) => {
      const all = ids.length === 1 && ids[0] === 'all';
      const retried = await withApp(io, (app) => app.queue.retryFailed(all ? 'all' : ids));
      const missing = all ? [] : ids.filter((id) => !retried.includes(id));
      if (opts.json) println(io.stdout, JSON.stringify({ retried, missing }));
      else println(io.stdout, `Pushed ${retried.length} failed job(s) back on their queue.`);
      if (missing.length > 0) throw new CliError(`no failed job with id ${missing.join(', ')}`);
    });

  program
    .command('queue:forget')
    .description('delete one failed job')
    .argument('<id>', 'failed job id from queue:failed')
    .action(async (id: string) => {
      const gone = await withApp(io, (app) => app.queue.forgetFailed(id));
      if (!gone) throw new CliError(`no failed job with id ${id}`);
      println(io.stdout, `Deleted failed job ${id}.`);
    });

  program
    .command('queue:flush')
    .description('delete failed jobs, or only those older than --hours')
    .option('--hours <n>', 'keep failed jobs younger than this', parseWholeNumber('--hours', 1))
    .option('--json', 'print JSON')
    .action(async (opts: { hours?: number; json?: boolean }) => {
      const n = await withApp(io, (app) =>
        app.queue.flushFailed(opts.hours === undefined ? undefined : opts.hours * 3_600_000),
      );
      if (opts.json) println(io.stdout, JSON.stringify({ deleted: n }));
      else println(io.stdout, `Deleted ${n} failed job(s).`);
    });

  program
    .command('queue:stats')
    .description(
      'per queue: waiting, active, delayed, failed, processed and failed per minute (last hour), oldest wait',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { counts, driver } = await withApp(io, async (app) => ({
        counts: await app.queue.counts(),
        driver: app.queue.name,
      }));
      const rows = counts.map((c) => ({
        ...c,
        processedPerMinute: round(c.processedLastHour / 60),
        failedPerMinute: round(c.failedLastHour / 60),
      }));
      if (opts.json) return println(io.stdout, JSON.stringify({ driver, queues: rows }));
      if (rows.length === 0) return println(io.stdout, `No queues yet (driver: ${driver}).`);
      println(
        io.stdout,
        table(
          ['Queue', 'Waiting', 'Active', 'Delayed', 'Failed', 'Done/min', 'Failed/min', 'Oldest waiting'],
          rows.map((r) => [
            r.queue,
            String(r.waiting),
            String(r.active),
            String(r.delayed),
            String(r.failed),
            String(r.processedPerMinute),
            String(r.failedPerMinute),
            r.oldestWaitingMs === null ? '-' : formatMs(r.oldestWaitingMs),
          ]),
        ),
      );
    });

  program
    .command('queue:monitor')
    .description('exit 1 (and log a warning) when a queue has more jobs waiting than its max, or waits too long')
    .argument('<thresholds>', 'queue:max pairs, e.g. default:100,mail:50', parseThresholds)
    .option(
      '--max-wait <seconds>',
      'longest the oldest waiting job may wait',
      parseSecondsOption('--max-wait', 1),
      300_000,
    )
    .option('--json', 'print JSON')
    .action(async (thresholds: Map<string, number>, opts: { maxWait: number; json?: boolean }) => {
      const report = await withApp(io, async (app) => {
        const result = checkQueues(await app.queue.counts(), thresholds, opts.maxWait);
        for (const alert of result.alerts) app.logger.warn({ ...alert }, `queue alert: ${alert.message}`);
        return result;
      });
      if (opts.json) println(io.stdout, JSON.stringify(report));
      else
        for (const q of report.queues) {
          println(
            io.stdout,
            `${q.ok ? '✓' : '✗'} ${q.queue.padEnd(12)} waiting ${q.waiting}/${q.max}, oldest ${q.oldestWaitingMs === null ? '-' : formatMs(q.oldestWaitingMs)}`,
          );
        }
      if (!report.ok) throw new CliError(report.alerts.map((a) => a.message).join('; '));
    });
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
