/** Upper bounds (ms) of the latency buckets used to estimate p95 without keeping every sample. */
const LATENCY_BOUNDS = [5, 10, 25, 50, 100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, Infinity];

interface Bucket {
  start: number;
  count: number;
  errors: number;
  sumMs: number;
  latency: number[];
}

export interface WindowSnapshot {
  windowMs: number;
  requests: number;
  errors: number;
  /** 5xx share of requests, 0..1 (0 when there were none). */
  errorRate: number;
  avgMs: number;
  p95Ms: number;
}

/**
 * Request outcomes over a rolling window, in fixed time slices so recording is O(1) and memory is bounded
 * whatever the traffic. The alert rules read snapshots of it.
 */
export class RequestWindow {
  private readonly buckets: Bucket[];
  private readonly sliceMs: number;

  constructor(
    private readonly windowMs: number,
    slices = 30,
    private readonly now: () => number = Date.now,
  ) {
    this.sliceMs = Math.max(1, Math.floor(windowMs / slices));
    this.buckets = Array.from({ length: slices }, () => ({
      start: -1,
      count: 0,
      errors: 0,
      sumMs: 0,
      latency: new Array<number>(LATENCY_BOUNDS.length).fill(0),
    }));
  }

  record(status: number, ms: number): void {
    const b = this.current();
    b.count++;
    if (status >= 500) b.errors++;
    b.sumMs += ms;
    let i = 0;
    while (ms > LATENCY_BOUNDS[i]!) i++;
    b.latency[i]!++;
  }

  snapshot(): WindowSnapshot {
    const oldest = this.sliceStart() - this.windowMs + this.sliceMs;
    let requests = 0;
    let errors = 0;
    let sumMs = 0;
    const latency = new Array<number>(LATENCY_BOUNDS.length).fill(0);
    for (const b of this.buckets) {
      if (b.start < oldest) continue;
      requests += b.count;
      errors += b.errors;
      sumMs += b.sumMs;
      b.latency.forEach((n, i) => (latency[i]! += n));
    }
    let p95Ms = 0;
    if (requests > 0) {
      const target = Math.ceil(requests * 0.95);
      let seen = 0;
      for (let i = 0; i < latency.length; i++) {
        seen += latency[i]!;
        if (seen >= target) {
          p95Ms = LATENCY_BOUNDS[i] === Infinity ? LATENCY_BOUNDS[i - 1]! : LATENCY_BOUNDS[i]!;
          break;
        }
      }
    }
    return {
      windowMs: this.windowMs,
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      avgMs: requests === 0 ? 0 : sumMs / requests,
      p95Ms,
    };
  }

  private sliceStart(): number {
    const t = this.now();
    return t - (t % this.sliceMs);
  }

  private current(): Bucket {
    const start = this.sliceStart();
    const b = this.buckets[Math.floor(start / this.sliceMs) % this.buckets.length]!;
    if (b.start !== start) {
      b.start = start;
      b.count = 0;
      b.errors = 0;
      b.sumMs = 0;
      b.latency.fill(0);
    }
    return b;
  }
}
