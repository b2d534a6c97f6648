import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from './processes.js';

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
  /** The load generator's CPU time per request, in µs (its main thread; workers are not counted). */
  clientCpuUsPerRequest?: number;
}

/** utime + stime of a process in µs, from /proc (Linux clock ticks are 10 ms). */
export function cpuUsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

interface ClientSummary {
  rps: number;
  total: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  bytes: number;
  clientCpuUs: number;
}

/** BENCH_CLIENT_WORKERS: autocannon worker threads in the client process (default 1: the client's main thread). */
const clientWorkers = Number(process.env.BENCH_CLIENT_WORKERS ?? 1);

/** One autocannon run in a child process (bench/lib/load-client.ts); resolves with its summary. */
function runClient(options: {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}): Promise<ClientSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/lib/load-client.ts', JSON.stringify({ ...options, workers: clientWorkers })],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load client exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as ClientSummary);
      } catch {
        reject(new Error(`load client printed no summary: ${out.slice(0, 200)}`));
      }
    });
  });
}

/**
 * Drives `url` with autocannon: a warm-up, then the measured run, each from a client process of its own (the server
 * lives in a third), so neither the bench nor the server shares a thread with the load generator.
 */
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
  const client = { url, connections: options.connections, headers: options.headers };
  if (options.warmupSeconds > 0) await runClient({ ...client, seconds: options.warmupSeconds });
  // The client takes a moment to start (tsx, autocannon): server CPU in that moment is idle time, so counting it is
  // harmless; counting from here keeps the bracket simple.
  const cpuBefore = options.pid === undefined ? 0 : cpuUsOf(options.pid);
  const r = await runClient({ ...client, seconds: options.seconds });
  return {
    rps: Math.round(r.rps),
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    non2xx: r.non2xx,
    errors: r.errors,
    bytesPerResponse: r.total > 0 ? Math.round(r.bytes / r.total) : 0,
    cpuUsPerRequest:
      options.pid === undefined || r.total === 0 ? undefined : Math.round((cpuUsOf(options.pid) - cpuBefore) / r.total),
    clientCpuUsPerRequest: r.total > 0 ? Math.round(r.clientCpuUs / r.total) : undefined,
  };
}
