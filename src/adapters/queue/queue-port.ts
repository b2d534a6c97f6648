/**
 * The queue port. Two drivers implement it with one behaviour (test/adapters/queue/queue-behaviour.ts runs the
 * same suite against both): `database` (the jobs table; the embedded default) and `bullmq` (Redis).
 * Drivers move jobs; the worker service (services/queue-worker.ts) decides what an outcome means.
 */
export interface NewJob {
  name: string;
  payload: unknown;
  queue?: string;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** Tries before the job lands in failed jobs; unset = the worker's --tries. */
  maxAttempts?: number;
  /** Per-job timeout; unset = the worker's default (QUEUE_TIMEOUT). */
  timeoutMs?: number;
}

export interface ReservedJob {
  id: string;
  name: string;
  queue: string;
  payload: unknown;
  /** 1 on the first try; a try cut short by a crash counts. */
  attempt: number;
  /** 0 when the job left it to the worker. */
  maxAttempts: number;
  timeoutMs: number | undefined;
  enqueuedAt: Date;
}

export type JobOutcome =
  { kind: 'done' } | { kind: 'retry'; delayMs: number; error: Error } | { kind: 'failed'; error: Error };

export interface ConsumeOptions {
  /** In priority order: a job of an earlier queue is taken first (database driver). */
  queues: readonly string[];
  concurrency: number;
  /** How long an idle slot waits before asking again. */
  sleepMs: number;
  workerId: string;
}

export interface Consumer {
  /** Take no new job; resolves when the jobs in hand have finished. */
  stop(): Promise<void>;
  /** Resolves when the consumer has stopped. */
  readonly stopped: Promise<void>;
}

export interface FailedJob {
  id: string;
  queue: string;
  name: string;
  payload: unknown;
  attempts: number;
  error: string;
  stack: string | null;
  failedAt: Date;
}

export interface QueueCounts {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Jobs finished in the last hour, and those that ended in failed jobs. */
  processedLastHour: number;
  failedLastHour: number;
  /** How long the oldest job ready to run has waited, or null when none waits. */
  oldestWaitingMs: number | null;
}

export interface QueueDriver {
  readonly name: 'database' | 'bullmq';
  enqueue(job: NewJob): Promise<string>;
  consume(options: ConsumeOptions, process: (job: ReservedJob) => Promise<JobOutcome>): Consumer;
  listFailed(): Promise<FailedJob[]>;
  /** Puts failed jobs back on their queue with fresh attempts; returns the ids it found. */
  retryFailed(ids: readonly string[] | 'all'): Promise<string[]>;
  forgetFailed(id: string): Promise<boolean>;
  /** Deletes failed jobs older than `olderThanMs` (all when undefined); returns how many. */
  flushFailed(olderThanMs?: number): Promise<number>;
  counts(): Promise<QueueCounts[]>;
  close(): Promise<void>;
}

export const DEFAULT_QUEUE = 'default';

/** Error, message and stack of whatever a job threw, as failed jobs record them. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}
