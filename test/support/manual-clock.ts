import type { Clock } from '../../src/adapters/clock.js';

/** A clock that moves only when the test says so; sleepers wake when it passes their deadline. */
export class ManualClock implements Clock {
  private t: number;
  private sleepers: { until: number; resolve: () => void }[] = [];

  constructor(start: Date) {
    this.t = start.getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      };
      const sleeper = {
        until: this.t + ms,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward in steps of at most `stepMs`, letting woken loops run between steps. */
  async advance(ms: number, stepMs = 1000): Promise<void> {
    const target = this.t + ms;
    while (this.t < target) {
      this.t = Math.min(target, this.t + stepMs);
      const due = this.sleepers.filter((s) => s.until <= this.t);
      this.sleepers = this.sleepers.filter((s) => s.until > this.t);
      for (const s of due) s.resolve();
      await new Promise((r) => setImmediate(r));
    }
  }
}
