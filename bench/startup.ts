/**
 * Start-up time: spawns `node bin/inkstone.js serve --with-worker --with-scheduler` (what `npm start` runs) on a
 * fresh SQLite directory, polls /health/live every 10 ms, and reports the median of several runs of the time from
 * spawn to the first 200. The first run of each directory also migrates, as a fresh `npm start` does; the later
 * runs reuse it (the usual restart).
 *
 *   npm run bench:startup               # 7 runs
 *   BENCH_STARTUP_RUNS=11 npm run bench:startup
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT } from './lib/processes.js';
import { stopProcess, waitForOk } from '../scripts/lib/processes.js';
import { saveResults } from './lib/report.js';

const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 7);
const args = (process.env.BENCH_STARTUP_ARGS ?? 'serve --with-worker --with-scheduler').split(' ');

interface Start {
  /** Wall time from spawn to the first 200 from /health/live. */
  ms: number;
  /** CPU time (user + system) the server process had used by then: steadier than wall time on a busy machine. */
  cpuMs: number;
}

/** utime + stime of a process from /proc/<pid>/stat, in ms (clock ticks are 10 ms on Linux). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function startOnce(cwd: string): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/inkstone.js'), ...args], {
    cwd,
    env: { ...process.env, PORT: String(port), APP_ENV: 'production', APP_KEY: 'startup-key-startup-key-startup-key' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForOk(`http://127.0.0.1:${port}/health/live`, 30_000, { child, intervalMs: 10 });
    return { ms: performance.now() - started, cpuMs: cpuMsOf(child.pid!) };
  } finally {
    await stopProcess(child);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'inkstone-startup-'));
try {
  const first = await startOnce(dir);
  const starts: Start[] = [];
  for (let i = 0; i < runs; i++) starts.push(await startOnce(dir));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const wall = median(starts.map((s) => s.ms));
  const cpu = median(starts.map((s) => s.cpuMs));
  const [load1] = (await import('node:os')).loadavg();
  console.log(`first start (migrates): ${first.ms.toFixed(0)} ms wall, ${first.cpuMs} ms CPU`);
  console.log(`restarts, wall: ${starts.map((s) => s.ms.toFixed(0)).join(' ')} ms`);
  console.log(`restarts, CPU:  ${starts.map((s) => s.cpuMs).join(' ')} ms`);
  console.log(
    `median of ${runs}: ${wall.toFixed(0)} ms wall (target < 1000 ms), ${cpu} ms CPU; load average ${load1!.toFixed(1)}`,
  );
  const data = { args, first, starts, medianMs: wall, medianCpuMs: cpu, load1, node: process.version };
  console.log(`results: ${saveResults('startup', data)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
