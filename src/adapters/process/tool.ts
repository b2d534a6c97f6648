import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { BackupError } from '../../domain/backup-errors.js';
import { withBlockOutput } from './block-output.js';

/** Which Debian package provides each external program, for the "not installed" message. */
const PACKAGES: Record<string, string> = {
  'mariadb-dump': 'mariadb-client',
  mariadb: 'mariadb-client',
  'mariadb-binlog': 'mariadb-client',
  pg_dump: 'postgresql-client',
  psql: 'postgresql-client',
  zstd: 'zstd',
  'redis-cli': 'redis-tools',
  'redis-server': 'redis-server',
};

export interface RunningTool {
  readonly stdin: Writable;
  readonly stdout: Readable;
  /** Resolves when the program exits 0; rejects with its last stderr line otherwise. */
  readonly done: Promise<void>;
  kill(): void;
}

export interface ToolOptions {
  env?: Record<string, string | undefined>;
  /** Where stdin comes from; default a pipe the caller writes to. */
  stdin?: 'pipe' | 'ignore';
  /** Large stdout writes for a program that writes through stdio (see block-output.ts). */
  blockOutput?: boolean;
}

/** Starts an external program with piped stdio. A missing program becomes a one-line BackupError naming its package. */
export function startTool(program: string, args: readonly string[], options: ToolOptions = {}): RunningTool {
  const [file, argv] = options.blockOutput ? withBlockOutput(program, args) : [program, args];
  const child: ChildProcess = spawn(file, argv, {
    stdio: [options.stdin ?? 'pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C', ...options.env },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        const pkg = PACKAGES[program];
        reject(
          new BackupError(
            'tool_missing',
            `${program} is not installed${pkg ? ` (Debian/Ubuntu: apt-get install ${pkg})` : ''}`,
          ),
        );
      } else reject(err);
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const last = stderr.trim().split('\n').filter(Boolean).pop() ?? '';
      const how = signal ? `was stopped by ${signal}` : `exited with ${code}`;
      reject(new BackupError('tool_failed', `${program} ${how}${last ? `: ${last}` : ''}`));
    });
  });
  // A consumer that stops reading early must not leave an unhandled EPIPE behind.
  child.stdin?.on('error', () => {});
  return {
    stdin: child.stdin!,
    stdout: child.stdout!,
    done,
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}

/** Runs a program to completion and returns its stdout as text. */
export async function runTool(program: string, args: readonly string[], options: ToolOptions = {}): Promise<string> {
  const tool = startTool(program, args, { ...options, stdin: 'ignore' });
  let out = '';
  tool.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await tool.done;
  return out;
}
