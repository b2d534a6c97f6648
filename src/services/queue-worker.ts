import type { Logger } from 'pino';
import type { Clock } from '../adapters/clock.js';
import type { JobOutcome, QueueDriver, ReservedJob } from '../adapters/queue/queue-port.js';
import { toError } from '../adapters/queue/queue-port.js';
import { backoffDelay, type BackoffPolicy } from '../domain/backoff.js';
import type { JobHandlers } from '../jobs/handlers.js';

export interface WorkerOptions {
  queues: readonly string[];
  concurrency: number;
  sleepMs: number;
  /** Tries for a job that did not set its own. */
  tries: number;
  backoff: BackoffPolicy;
  /** Timeout for a job that did not set its own. */
  timeoutMs: number;
  /** Stop (after the jobs in hand) once this long has passed; the process supervisor starts a fresh worker. */
  maxTimeMs?: number;
  /** Stop after this many jobs. */
  maxJobs?: number;
  workerId: string;
}

export interface WorkerResult {
  processed: number;
  failed: number;
  stoppedBy: 'signal' | 'max-jobs' | 'max-time';
}

export interface RunningWorker {
  /** Take no new job, finish the ones in hand. */
  stop(): Promise<WorkerResult>;
  readonly done: Promise<WorkerResult>;
}

export class JobTimeoutError extends Error {
  constructor(ms: number) {
    super(`the job ran longer than its timeout of ${ms} ms`);
    this.name = 'JobTimeoutError';
  }
}

export class UnknownJobError extends Error {
  constructor(name: string) {
    super(`no handler for job "${name}"`);
    this.name = 'UnknownJobError';
  }
}

/** Runs jobs from the queue through their handlers: timeout, retry with backoff, failed jobs after the last try. */
export function startWorker(deps: {
  driver: QueueDriver;
  handlers: JobHandlers;
  clock: Clock;
  logger: Logger;
  options: WorkerOptions;
}): RunningWorker {
  const { driver, handlers, clock, logger, options } = deps;
  let processed = 0;
  let failed = 0;
  let stoppedBy: WorkerResult['stoppedBy'] = 'signal';
  let stopping: Promise<void> | undefined;
  const timers = new AbortController();

  async function process(job: ReservedJob): Promise<JobOutcome> {
    const handler = handlers.get(job.name);
    const startedAt = clock.now();
    const log = logger.child({ job: job.name, jobId: job.id, queue: job.queue, attempt: job.attempt });
    let outcome: JobOutcome;
    if (!handler) {
      outcome = { kind: 'failed', error: new UnknownJobError(job.name) };
    } else {
      const timeoutMs = job.timeoutMs ?? options.timeoutMs;
      const abort = new AbortController();
      try {
        await Promise.race([
          handler(job.payload, { signal: abort.signal, job }),
          clock.sleep(timeoutMs, abort.signal).then(() => {
            if (!abort.signal.aborted) throw new JobTimeoutError(timeoutMs);
          }),
        ]);
        outcome = { kind: 'done' };
      } catch (thrown) {
        const error = toError(thrown);
        const tries = job.maxAttempts > 0 ? job.maxAttempts : options.tries;
        outcome =
          job.attempt >= tries
            ? { kind: 'failed', error }
            : { kind: 'retry', error, delayMs: backoffDelay(options.backoff, job.attempt) };
      } finally {
        // Ends the timeout race and tells a handler still running after a timeout to give up.
        abort.abort();
      }
    }
    const ms = clock.now().getTime() - startedAt.getTime();
    if (outcome.kind === 'done') {
      processed += 1;
      log.info({ ms }, 'job done');
    } else if (outcome.kind === 'retry') {
      log.warn({ ms, err: outcome.error, retryInMs: outcome.delayMs }, 'job failed; will retry');
    } else {
      failed += 1;
      log.error({ ms, err: outcome.error }, 'job failed for good; kept in failed jobs');
    }
    if (options.maxJobs !== undefined && processed + failed >= options.maxJobs) void requestStop('max-jobs');
    return outcome;
  }

  const consumer = driver.consume(
    { queues: options.queues, concurrency: options.concurrency, sleepMs: options.sleepMs, workerId: options.workerId },
    process,
  );

  function requestStop(reason: WorkerResult['stoppedBy']): Promise<void> {
    if (!stopping) {
      stoppedBy = reason;
      timers.abort();
      stopping = consumer.stop();
    }
    return stopping;
  }

  if (options.maxTimeMs !== undefined) {
    void clock.sleep(options.maxTimeMs, timers.signal).then(() => {
      if (!timers.signal.aborted) void requestStop('max-time');
    });
  }

  const done = consumer.stopped.then(() => {
    timers.abort();
    return { processed, failed, stoppedBy };
  });
  return {
    done,
    async stop() {
      await requestStop('signal');
      return done;
    },
  };
}
