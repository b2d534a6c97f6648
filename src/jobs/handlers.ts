import type { ReservedJob } from '../adapters/queue/queue-port.js';

export interface JobContext {
  /** Aborted when the job timed out: a handler doing long work should check it and give up. */
  signal: AbortSignal;
  job: ReservedJob;
}

export type JobHandler = (payload: unknown, context: JobContext) => Promise<void>;

/** Job name -> handler. Built once in the composition root from the handlers in this folder. */
export type JobHandlers = ReadonlyMap<string, JobHandler>;
