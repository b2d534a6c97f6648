/**
 * HTTP benchmark: each scenario against the real server (built dist, its own process), and a bare node:http
 * server returning a body of the same size in the same run; the ratio is what we track, never absolute numbers.
 *
 *   npm run bench                         # defaults: 50 connections, 10 s per scenario after a 3 s warm-up
 *   BENCH_SECONDS=5 npm run bench          # shorter
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

interface Scenario {
  name: string;
  path: string;
  contentType: string;
}

const scenarios: Scenario[] = [
  // The smallest route: what every request pays in the framework, request log, metrics and alert window.
  { name: 'health/live', path: '/health/live', contentType: 'application/json' },
];

async function main(): Promise<void> {
  const storage = mkdtempSync(join(tmpdir(), 'inkstone-bench-'));
  const port = await freePort();
  const app = await startServer(
    ['bin/inkstone.js', 'serve', '--port', String(port)],
    {
      APP_ENV: 'production',
      APP_KEY: 'bench-key-bench-key-bench-key-bench-key',
      AUTO_MIGRATE: 'true',
      DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${join(storage, 'bench.sqlite')}`,
      STORAGE_DIR: storage,
      LOG_CHANNELS: 'daily', // as in production: lines go to a file (stdout would go to a terminal here)
    },
    port,
  );
  const rows: Row[] = [];
  try {
    for (const s of scenarios) {
      const bodyBytes = (await (await fetch(app.url + s.path)).arrayBuffer()).byteLength;
      const result = await measure(app.url + s.path, { connections, seconds, warmupSeconds });
      const barePort = await freePort();
      const bare = await startServer(
        ['--import', 'tsx', 'bench/lib/bare-server.ts', String(barePort), String(bodyBytes), s.contentType],
        {},
        barePort,
        '/',
      );
      let bareResult;
      try {
        bareResult = await measure(bare.url, { connections, seconds, warmupSeconds });
      } finally {
        await bare.stop();
      }
      rows.push({
        scenario: s.name,
        ...result,
        bodyBytes,
        bareRps: bareResult.rps,
        ratio: result.rps / bareResult.rps,
      });
    }
    const rssMb = await app.rssMb();
    printTable(rows);
    console.log(`\nserver RSS after all runs: ${rssMb} MB`);
    console.log(`results: ${saveResults('http', { connections, seconds, rows, rssMb, node: process.version })}`);
  } finally {
    await app.stop();
    rmSync(storage, { recursive: true, force: true });
  }
}

await main();
