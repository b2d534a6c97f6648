import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { configFrom } from '../context.js';
import { createApp } from '../../app.js';
import { createLogging } from '../../adapters/log/logger.js';
import { parseWholeNumber } from '../format.js';
import { parseBackoffOption, parseQueueList, parseSecondsOption } from '../queue-options.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../domain/backoff.js';
import { startWorkerRole, type WorkerRoleOptions } from '../../jobs/worker-role.js';

interface WorkOpts {
  queue: string[];
  sleep: number;
  tries: number;
  maxTime: number;
  maxJobs?: number;
  concurrency: number;
  backoff: BackoffPolicy;
  timeout?: number;
}

/** The options `queue:work` and `serve --with-worker` share, with the operations design's defaults. */
export function addWorkerOptions(cmd: Command, prefix = ''): Command {
  return cmd
    .option(`--${prefix}queue <names>`, 'queues to work, highest priority first', parseQueueList, [
      'default',
      'mail',
      'site',
    ])
    .option(`--${prefix}sleep <seconds>`, 'wait this long when no job is ready', parseSecondsOption('--sleep'), 3000)
    .option(`--${prefix}tries <n>`, 'tries before a job lands in failed jobs', parseWholeNumber('--tries', 1), 3)
    .option(`--${prefix}max-time <seconds>`, 'stop after this long (0 = never)', parseWholeNumber('--max-time'), 3600)
    .option(`--${prefix}max-jobs <n>`, 'stop after this many jobs', parseWholeNumber('--max-jobs', 1))
    .option(`--${prefix}concurrency <n>`, 'jobs run at once', parseWholeNumber('--concurrency', 1), 1)
    .option(
      `--${prefix}backoff <seconds>`,
      'retry delay: 5 doubles from 5 s; 10,60,300 lists them',
      parseBackoffOption,
      DEFAULT_BACKOFF,
    )
    .option(
      `--${prefix}timeout <seconds>`,
      'per-job timeout (default QUEUE_TIMEOUT)',
      parseSecondsOption('--timeout', 1),
    );
}

export function workerOptionsFrom(opts: WorkOpts): WorkerRoleOptions {
  return {
    queues: opts.queue,
    sleepMs: opts.sleep,
    tries: opts.tries,
    maxTimeMs: opts.maxTime > 0 ? opts.maxTime * 1000 : undefined,
    maxJobs: opts.maxJobs,
    concurrency: opts.concurrency,
    backoff: opts.backoff,
    timeoutMs: opts.timeout,
  };
}

export function registerQueueWorkCommand(program: Command, io: CliIO): void {
  addWorkerOptions(
    program
      .command('queue:work')
      .description(
        'run queued jobs until SIGTERM/SIGINT (finishes the jobs in hand, exits 0), --max-time or --max-jobs',
      ),
  ).action(async (opts: WorkOpts) => {
    const config = configFrom(io);
    const app = await createApp(config, { logging: createLogging(config, { stdout: io.stdout }) });
    try {
      const worker = startWorkerRole(app, workerOptionsFrom(opts));
      const stopped = await Promise.race([io.waitForStop().then((signal) => ({ signal })), worker.done]);
      if ('signal' in stopped) app.logger.info({ signal: stopped.signal }, 'stopping: finishing the jobs in hand');
      const result = await worker.stop();
      app.logger.info(result, 'queue worker stopped');
    } finally {
      await app.close();
    }
  });
}
