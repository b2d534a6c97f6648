import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT, stopProcess, waitForOk } from '../../scripts/lib/processes.js';

export { freePort, ROOT } from '../../scripts/lib/processes.js';

export interface Server {
  url: string;
  child: ChildProcess;
  /** Resident memory of the server process now, in MB (from /proc). */
  rssMb(): Promise<number>;
  /** The most resident memory the process has had (VmHWM): where the garbage collector let it climb under load. */
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a node process and waits until `readyPath` answers 200. */
export async function startServer(
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath = '/health/live',
): Promise<Server> {
  // Output is not captured: a server under load would fill memory with it (stderr still shows failures).
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(url + readyPath, 30_000, { child, intervalMs: 100 });
  return {
    url,
    child,
    rssMb: () => statusMb(child.pid, 'VmRSS'),
    peakRssMb: () => statusMb(child.pid, 'VmHWM'),
    stop: () => stopProcess(child),
  };
}

async function statusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
}
