import { Redis } from 'ioredis';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { bullmqCounts, recordFinished, registryKey as registryKeyOf } from './bullmq-stats.js';
import {
  DEFAULT_QUEUE,
  type ConsumeOptions,
  type Consumer,
  type FailedJob,
  type JobOutcome,
  type NewJob,
  type QueueDriver,
  type ReservedJob,
} from './queue-port.js';

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Key prefix of this blog, e.g. `inkstone:`; BullMQ's keys live under `<prefix>bull:`. */
  redisPrefix: string;
  clock: Clock;
  retryAfterMs: number;
  logger: Logger;
}

interface JobData {
  payload: unknown;
  maxAttempts: number;
  timeoutMs: number | null;
}

/** Carries the worker's chosen delay to the backoff strategy, which BullMQ calls for a job it will retry. */
class RetryLater extends Error {
  constructor(
    cause: Error,
    readonly delayMs: number,
  ) {
    super(cause.message, { cause });
    this.name = cause.name;
    this.stack = cause.stack;
  }
}

// BullMQ retries only what the worker said to retry (RetryLater); this cap just has to exceed any sane --tries.
const BULLMQ_ATTEMPTS_CAP = 1000;

/**
 * The `bullmq` driver (QUEUE_DRIVER=redis): one BullMQ queue per queue name, N workers on N machines. BullMQ
 * handles locks and stalled jobs (a worker killed mid-job loses its lock after retryAfter and the job goes back
 * to wait); retry decisions stay with the worker service, as with the database driver.
 */
export function createBullmqQueue(options: BullmqQueueOptions): QueueDriver {
  const { redisUrl, clock, retryAfterMs, logger } = options;
  const prefix = `${options.redisPrefix}bull`;
  const registryKey = registryKeyOf(options.redisPrefix);
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  redis.on('error', (err: Error) => logger.warn({ err }, 'redis connection error (queue registry)'));
  const queues = new Map<string, Queue>();
  // Queue names this process has put in the registry (a set in Redis): one SADD per name, not one per job.
  const registered = new Set<string>();

  const queue = (name: string): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, prefix });
      q.on('error', (err: Error) => logger.warn({ err, queue: name }, 'redis connection error (queue)'));
      queues.set(name, q);
    }
    return q;
  };
  const knownQueues = async (): Promise<string[]> => (await redis.smembers(registryKey)).sort();

  async function findFailed(id: string): Promise<Job | undefined> {
    const at = id.lastIndexOf(':');
    if (at <= 0) return undefined;
    const job = (await queue(id.slice(0, at)).getJob(id.slice(at + 1))) as Job | undefined;
    if (!job || !(await job.isFailed())) return undefined;
    return job;
  }

  return {
    name: 'bullmq',

    async enqueue(job: NewJob): Promise<string> {
      const name = job.queue ?? DEFAULT_QUEUE;
      if (!registered.has(name)) {
        await redis.sadd(registryKey, name);
        registered.add(name);
      }
      const data: JobData = {
        payload: job.payload ?? null,
        maxAttempts: job.maxAttempts ?? 0,
        timeoutMs: job.timeoutMs ?? null,
      };
      const added = await queue(name).add(job.name, data, {
        delay: job.delayMs,
        attempts: job.maxAttempts ?? BULLMQ_ATTEMPTS_CAP,
        backoff: { type: 'inkstone' },
        removeOnComplete: { age: 3600, count: 1000 },
        removeOnFail: false,
      });
      return String(added.id);
    },

    consume(opts: ConsumeOptions, process: (job: ReservedJob) => Promise<JobOutcome>): Consumer {
      const workers = opts.queues.map((name) => {
        const worker = new Worker<JobData>(
          name,
          async (job) => {
            const outcome = await process(toReserved(name, job));
            if (outcome.kind !== 'retry') {
              await recordFinished(
                redis,
                options.redisPrefix,
                name,
                clock.now(),
                outcome.kind === 'done' ? 'processed' : 'failed',
              );
            }
            if (outcome.kind === 'retry') throw new RetryLater(outcome.error, outcome.delayMs);
            if (outcome.kind === 'failed') {
              const err = new UnrecoverableError(outcome.error.message || outcome.error.name);
              err.stack = outcome.error.stack;
              throw err;
            }
          },
          {
            connection,
            prefix,
            name: opts.workerId,
            concurrency: opts.concurrency,
            lockDuration: retryAfterMs,
            stalledInterval: Math.min(retryAfterMs, 30_000),
            maxStalledCount: 3,
            drainDelay: Math.max(1, Math.ceil(opts.sleepMs / 1000)),
            settings: { backoffStrategy: (_made, _type, err) => (err instanceof RetryLater ? err.delayMs : 0) },
          },
        );
        worker.on('error', (err: Error) => logger.warn({ err, queue: name }, 'queue worker error (will reconnect)'));
        return worker;
      });
      void redis.sadd(registryKey, ...opts.queues).catch(() => undefined);
      let stopping: Promise<void> | undefined;
      let markStopped: () => void = () => undefined;
      const stopped = new Promise<void>((resolve) => (markStopped = resolve));
      return {
        stopped,
        stop() {
          // close() without force waits for the jobs in hand.
          stopping ??= Promise.all(workers.map((w) => w.close())).then(() => markStopped());
          return stopping;
        },
      };
    },

    async listFailed(): Promise<FailedJob[]> {
      const out: FailedJob[] = [];
      for (const name of await knownQueues()) {
        for (const job of (await queue(name).getFailed(0, -1)) as Job<JobData>[]) {
          out.push({
            id: `${name}:${job.id}`,
            queue: name,
            name: job.name,
            payload: job.data.payload,
            attempts: job.attemptsStarted,
            error: job.failedReason,
            stack: job.stacktrace?.at(-1) ?? null,
            failedAt: new Date(job.finishedOn ?? job.timestamp),
          });
        }
      }
      return out.sort((a, b) => a.failedAt.getTime() - b.failedAt.getTime());
    },

    async retryFailed(ids): Promise<string[]> {
      const jobs: { id: string; job: Job }[] = [];
      if (ids === 'all') {
        for (const name of await knownQueues()) {
          for (const job of (await queue(name).getFailed(0, -1)) as Job[]) jobs.push({ id: `${name}:${job.id}`, job });
        }
      } else {
        for (const id of ids) {
          const job = await findFailed(id);
          if (job) jobs.push({ id, job });
        }
      }
      for (const { job } of jobs) await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return jobs.map((j) => j.id);
    },

    async forgetFailed(id: string): Promise<boolean> {
      const job = await findFailed(id);
      if (!job) return false;
      await job.remove();
      return true;
    },

    async flushFailed(olderThanMs?: number): Promise<number> {
      let n = 0;
      for (const name of await knownQueues()) n += (await queue(name).clean(olderThanMs ?? 0, 0, 'failed')).length;
      return n;
    },

    async counts() {
      const names = await knownQueues();
      return Promise.all(names.map((name) => bullmqCounts(queue(name), redis, options.redisPrefix, name, clock.now())));
    },

    async close(): Promise<void> {
      await Promise.all([...queues.values()].map((q) => q.close()));
      redis.disconnect();
    },
  };
}

function toReserved(queue: string, job: Job<JobData>): ReservedJob {
  return {
    id: String(job.id),
    name: job.name,
    queue,
    payload: job.data.payload,
    attempt: Math.max(1, job.attemptsStarted),
    maxAttempts: job.data.maxAttempts,
    timeoutMs: job.data.timeoutMs ?? undefined,
    enqueuedAt: new Date(job.timestamp + (job.opts.delay ?? 0)),
  };
}
