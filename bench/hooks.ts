/**
 * Request-path overhead: the same cached 25 KB page behind plain fastify, behind each layer of Inkstone's request
 * path, and from a bare node:http server, each in its own process, in one run. Shows what every request pays for
 * the request id, the read-after-write scope, metrics, the alert window and the request log line.
 *
 *   npm run bench:hooks      # BENCH_SECONDS=10 BENCH_WARMUP_SECONDS=3 BENCH_CONNECTIONS=50
 *   BENCH_VARIANTS='full|full, page cache hit' npm run bench:hooks   # some variants only
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure } from './lib/load.js';
import { freePort, startServer } from './lib/processes.js';
import { printTable, saveResults, type Row } from './lib/report.js';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const only = process.env.BENCH_VARIANTS?.split('|');
const variants = [
  'fastify',
  'fastify + ALS scope',
  'core',
  'full, log at warn',
  'full',
  'full, page cache hit',
  'full, page cache hit, front door',
];
const bodyBytes = 25 * 1024;

const storage = mkdtempSync(join(tmpdir(), 'inkstone-hooks-'));
try {
  const options = { connections, seconds, warmupSeconds };
  const barePort = await freePort();
  const bare = await startServer(
    ['--import', 'tsx', 'bench/lib/bare-server.ts', String(barePort), String(bodyBytes), 'text/html; charset=utf-8'],
    {},
    barePort,
    '/',
  );
  const bareResult = await measure(bare.url, { ...options, pid: bare.child.pid }).finally(() => bare.stop());
  const rows: Row[] = [{ scenario: 'node:http', ...bareResult, bodyBytes, bareRps: bareResult.rps, ratio: 1 }];
  for (const variant of variants.filter((v) => only === undefined || only.includes(v))) {
    const port = await freePort();
    const server = await startServer(
      ['--import', 'tsx', 'bench/lib/hook-server.ts', String(port), variant, storage],
      {},
      port,
      '/bench/body',
    );
    try {
      const result = await measure(`${server.url}/bench/body`, { ...options, pid: server.child.pid });
      rows.push({
        scenario: variant,
        ...result,
        bodyBytes,
        bareRps: bareResult.rps,
        ratio: result.rps / bareResult.rps,
      });
    } finally {
      await server.stop();
    }
  }
  printTable(rows);
  console.log(`results: ${saveResults('hooks', { connections, seconds, rows, node: process.version })}`);
} finally {
  rmSync(storage, { recursive: true, force: true });
}
