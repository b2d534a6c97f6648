// Queue throughput: 10,000 no-op jobs through each driver at concurrency 1 and 4. A producer enqueues as fast
// as it can while the worker consumes (one process), so the enqueue-to-start latency includes any backlog the
// producer builds up. Results are ratios to the first scenario (database driver on SQLite, concurrency 1) in the
// same run; absolute numbers depend on the machine.
//
//   npx tsx bench/queue-throughput.ts [--jobs=10000] [--redis=redis://127.0.0.1:6379] [--database=sqlite:/tmp/x]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/index.js';
import { createApp } from '../src/app.js';
import { startWorker } from '../src/services/queue-worker.js';
import { parseBackoff } from '../src/domain/backoff.js';
import type { JobHandler } from '../src/jobs/handlers.js';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const JOBS = Number(arg('jobs', '10000'));
const REDIS_URL = arg('redis', 'redis://127.0.0.1:6379');

interface Result {
  driver: string;
  concurrency: number;
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
  enqueuePerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

async function scenario(driver: 'database' | 'redis', concurrency: number): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'inkstone-bench-'));
  const prefix = `inkstone-bench-${randomBytes(4).toString('hex')}:`;
  const latencies: number[] = [];
  let done = 0;
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((r) => (finished = r));
  const noop: JobHandler = (_payload, { job }) => {
    latencies.push(Date.now() - job.enqueuedAt.getTime());
    if (++done === JOBS) finished();
    return Promise.resolve();
  };
  const config = loadConfig({
    env: {
      APP_ENV: 'production',
      APP_KEY: 'bench-bench-bench-bench-bench-bench-bench',
      LOG_LEVEL: 'silent',
      DATABASE_URL: arg('database', `sqlite:${join(dir, 'bench.sqlite')}`),
      QUEUE_DRIVER: driver,
      ...(driver === 'redis' ? { REDIS_URL, REDIS_PREFIX: prefix } : {}),
    },
    cwd: process.cwd(),
    envFile: '/dev/null',
  });
  const app = await createApp(config, { extraJobs: new Map([['bench:noop', noop]]) });
  try {
    await app.migrations.migrate({ force: true });
    const worker = startWorker({
      driver: app.queue,
      handlers: app.jobs,
      clock: app.clock,
      logger: app.logger,
      options: {
        queues: ['default'],
        concurrency,
        sleepMs: 10,
        tries: 3,
        backoff: parseBackoff('1')!,
        timeoutMs: 60_000,
        workerId: 'bench',
      },
    });
    const started = performance.now();
    for (let i = 0; i < JOBS; i++) await app.queue.enqueue({ name: 'bench:noop', payload: { i } });
    const enqueueSeconds = (performance.now() - started) / 1000;
    await allDone;
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    return {
      driver: driver === 'redis' ? 'bullmq' : `database (${config.database.primary.dialect})`,
      concurrency,
      jobs: JOBS,
      seconds: round(seconds),
      jobsPerSecond: Math.round(JOBS / seconds),
      enqueuePerSecond: Math.round(JOBS / enqueueSeconds),
      latencyP50Ms: pct(50),
      latencyP99Ms: pct(99),
    };
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    if (driver === 'redis') await dropPrefix(prefix);
  }
}

async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const results: Result[] = [];
for (const driver of ['database', 'redis'] as const) {
  for (const concurrency of [1, 4]) {
    process.stderr.write(`running ${driver} x${concurrency} …\n`);
    results.push(await scenario(driver, concurrency));
  }
}
const base = results[0]!.jobsPerSecond;
console.log(`\n${JOBS} no-op jobs; producer and worker in one process; ratio = jobs/s vs ${results[0]!.driver} x1\n`);
console.log('driver               conc  jobs/s  ratio  enqueue/s  p50 ms  p99 ms  total s');
for (const r of results) {
  console.log(
    `${r.driver.padEnd(20)} ${String(r.concurrency).padStart(4)} ${String(r.jobsPerSecond).padStart(7)} ${(r.jobsPerSecond / base).toFixed(2).padStart(6)} ${String(r.enqueuePerSecond).padStart(10)} ${String(r.latencyP50Ms).padStart(7)} ${String(r.latencyP99Ms).padStart(7)} ${String(r.seconds).padStart(8)}`,
  );
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/queue-throughput-${Date.now()}.json`, JSON.stringify({ jobs: JOBS, results }, null, 2));
