import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  bytesPerResponse: number;
  /**
   * CPU time (user + system) the server process spent per request during the measured run, in µs, when its pid is
   * known: unlike requests per second it holds steady when other work shares the machine.
   */
  cpuUsPerRequest?: number;
}

/** utime + stime of a process in µs, from /proc (Linux clock ticks are 10 ms). */
export function cpuUsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Drives `url` with autocannon: a warm-up, then the measured run. Load comes from this process, the server lives in another. */
export async function measure(
  url: string,
  options: {
    connections: number;
    seconds: number;
    warmupSeconds: number;
    headers?: Record<string, string>;
    /** The server's process id, to report its CPU time per request. */
    pid?: number;
  },
): Promise<LoadResult> {
  if (options.warmupSeconds > 0) {
    await autocannon({
      url,
      connections: options.connections,
      duration: options.warmupSeconds,
      headers: options.headers,
    });
  }
  const cpuBefore = options.pid === undefined ? 0 : cpuUsOf(options.pid);
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
    cpuUsPerRequest:
      options.pid === undefined || r.requests.total === 0
        ? undefined
        : Math.round((cpuUsOf(options.pid) - cpuBefore) / r.requests.total),
  };
}
