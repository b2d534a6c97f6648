/** Upper bounds (ms) of the latency buckets: percentiles are read from them, so memory stays fixed. */
const BOUNDS = [5, 10, 25, 50, 100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, Infinity];

interface Minute {
  start: number;
  requests: number;
  errors: number;
  latency: number[];
}

export interface TrafficPoint {
  /** Start of the minute (ISO). */
  at: string;
  requests: number;
  /** 5xx responses. */
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface TrafficSummary {
  minutes: TrafficPoint[];
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

/**
 * This instance's requests over the last hour, a slot per minute, for the ops dashboard's charts. Recording is
 * O(1) with fixed memory; Prometheus (`/metrics`) is the cross-instance view.
 */
export class TrafficHistory {
  private readonly slots: Minute[];

  constructor(
    private readonly minutes = 60,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = Array.from({ length: minutes }, () => ({
      start: -1,
      requests: 0,
      errors: 0,
      latency: new Array<number>(BOUNDS.length).fill(0),
    }));
  }

  record(status: number, ms: number): void {
    const now = this.now();
    const start = now - (now % 60_000);
    const slot = this.slots[Math.floor(start / 60_000) % this.minutes]!;
    if (slot.start !== start) {
      slot.start = start;
      slot.requests = 0;
      slot.errors = 0;
      slot.latency.fill(0);
    }
    slot.requests++;
    if (status >= 500) slot.errors++;
    let i = 0;
    while (ms > BOUNDS[i]!) i++;
    slot.latency[i]!++;
  }

  /** The last hour, oldest minute first, with empty minutes included so a chart's x axis is regular. */
  summary(): TrafficSummary {
    const current = this.now() - (this.now() % 60_000);
    const total = new Array<number>(BOUNDS.length).fill(0);
    let requests = 0;
    let errors = 0;
    const points: TrafficPoint[] = [];
    for (let k = this.minutes - 1; k >= 0; k--) {
      const start = current - k * 60_000;
      const slot = this.slots[Math.floor(start / 60_000) % this.minutes]!;
      const live = slot.start === start;
      const n = live ? slot.requests : 0;
      points.push({
        at: new Date(start).toISOString(),
        requests: n,
        errors: live ? slot.errors : 0,
        p50Ms: live ? percentile(slot.latency, n, 0.5) : null,
        p95Ms: live ? percentile(slot.latency, n, 0.95) : null,
      });
      if (!live) continue;
      requests += n;
      errors += slot.errors;
      slot.latency.forEach((c, i) => (total[i]! += c));
    }
    return {
      minutes: points,
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      p50Ms: percentile(total, requests, 0.5),
      p95Ms: percentile(total, requests, 0.95),
    };
  }
}

/** The bucket bound holding the q-th request (an upper estimate), or null without requests. */
function percentile(latency: readonly number[], count: number, q: number): number | null {
  if (count === 0) return null;
  const target = Math.ceil(count * q);
  let seen = 0;
  for (let i = 0; i < latency.length; i++) {
    seen += latency[i]!;
    if (seen >= target) return BOUNDS[i] === Infinity ? BOUNDS[i - 1]! : BOUNDS[i]!;
  }
  return null;
}
