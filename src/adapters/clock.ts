/**
 * Time as the program sees it. Services and roles take a Clock instead of calling Date.now()/setTimeout, so the
 * scheduler and backoff can be driven by a test without waiting in real time.
 */
export interface Clock {
  now(): Date;
  /** Resolves after `ms` of this clock's time, or early (without error) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) => realSleep(ms, signal),
};

/**
 * A clock running `factor` times faster than real time from `start`: the scheduler's exactly-once acceptance test
 * lives through minutes of schedule in seconds, with real concurrency between processes.
 */
export function acceleratedClock(start: Date, factor: number, realStartMs = Date.now()): Clock {
  return {
    now: () => new Date(start.getTime() + (Date.now() - realStartMs) * factor),
    sleep: (ms, signal) => realSleep(ms / factor, signal),
  };
}

function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
