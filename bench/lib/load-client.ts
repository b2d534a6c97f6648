/**
 * The load generator, in a process of its own (see load.ts): autocannon against one URL, its summary as one JSON
 * line on stdout. Kept out of the bench process so the bench's own work (spawning servers, reading /proc, the
 * results) and its garbage never slow the client, and so the client's CPU time can be told apart.
 *
 *   node --import tsx bench/lib/load-client.ts '<json options>'
 */
import { createRequire } from 'node:module';
import autocannon from 'autocannon';

// autocannon keeps every response body as a string (`body += chunk`, decoding UTF-8) for an onResponse callback
// this client never passes. That work depends on what the bytes are, not on the server: a page of multi-byte text
// (CJK, typographic quotes) cost the client 53 µs per response against 32 µs for as many ASCII bytes, and the
// client, not the server, then set the pace. Dropping the chunks makes the client's work the same for any body of a
// given size. Patched here, in the client's own process (with BENCH_CLIENT_WORKERS > 1 autocannon's worker threads
// load their own copy and still decode).
interface BodyQueue {
  prototype: { addBody(data: unknown): void };
}
const require = createRequire(import.meta.url);
const queue = require('autocannon/lib/pipelinedRequestsQueue.js') as BodyQueue;
if (typeof queue.prototype.addBody !== 'function') {
  throw new Error('autocannon no longer has PipelinedRequestsQueue#addBody: review bench/lib/load-client.ts');
}
queue.prototype.addBody = () => {};

interface ClientOptions {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** autocannon worker threads (1: the client's main thread does the work). */
  workers: number;
}

const options = JSON.parse(process.argv[2] ?? '') as ClientOptions;
const cpuBefore = process.cpuUsage();
const r = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.seconds,
  headers: options.headers,
  ...(options.workers > 1 ? { workers: options.workers } : {}),
});
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({
    rps: r.requests.average,
    total: r.requests.total,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    bytes: r.throughput.total,
    clientCpuUs: cpu.user + cpu.system,
  })}\n`,
);
