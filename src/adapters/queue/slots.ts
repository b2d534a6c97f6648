import type { Clock } from '../clock.js';
import type { Consumer } from './queue-port.js';

export interface SlotLoopOptions {
  concurrency: number;
  sleepMs: number;
  clock: Clock;
  /** Takes the next job and returns how to run it, or null when there is none. */
  next(): Promise<(() => Promise<void>) | null>;
  onError?(err: unknown): void;
}

/**
 * `concurrency` loops that each take a job, run it, and sleep when there is none. stop() wakes the sleepers and
 * waits for the jobs in hand: a stopped consumer never abandons a job it has started.
 */
export function runSlots(options: SlotLoopOptions): Consumer {
  const stopping = new AbortController();
  const slot = async () => {
    while (!stopping.signal.aborted) {
      let run: (() => Promise<void>) | null = null;
      try {
        run = await options.next();
      } catch (err) {
        // A database or Redis hiccup: say so and try again after the idle sleep rather than dying.
        options.onError?.(err);
      }
      if (run === null) {
        await options.clock.sleep(options.sleepMs, stopping.signal);
        continue;
      }
      try {
        await run();
      } catch (err) {
        options.onError?.(err);
      }
    }
  };
  const stopped = Promise.all(Array.from({ length: options.concurrency }, slot)).then(() => undefined);
  return {
    stopped,
    async stop() {
      stopping.abort();
      await stopped;
    },
  };
}
