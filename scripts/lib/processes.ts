import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

// Child processes and ports for whatever starts real Inkstone processes: benches, drills and tests share these.

/** The repository root (where package.json lives). */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A free loopback port (bound and released; the process started next listens on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a TypeScript file from the repository root in a child node process (through tsx), output captured. */
export function spawnTs(file: string, args: readonly string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/**
 * Polls `url` until it answers 200 and returns how long that took; fails after `timeoutMs`, or at once when
 * `child` (the process meant to answer) has exited.
 */
export async function waitForOk(
  url: string,
  timeoutMs: number,
  options: { child?: ChildProcess; intervalMs?: number } = {},
): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    const code = options.child?.exitCode;
    if (code !== undefined && code !== null) throw new Error(`the process behind ${url} exited with ${code}`);
    if (Date.now() - started > timeoutMs) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 25));
  }
}

/** Sends SIGTERM (when still running) and resolves once the process has exited. */
export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
