import autocannon from 'autocannon';

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  bytesPerResponse: number;
}

/** Drives `url` with autocannon: a warm-up, then the measured run. Load comes from this process, the server lives in another. */
export async function measure(
  url: string,
  options: { connections: number; seconds: number; warmupSeconds: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  if (options.warmupSeconds > 0) {
    await autocannon({
      url,
      connections: options.connections,
      duration: options.warmupSeconds,
      headers: options.headers,
    });
  }
  const r = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
  });
  return {
    rps: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    bytesPerResponse: r.requests.total > 0 ? Math.round(r.throughput.total / r.requests.total) : 0,
  };
}
