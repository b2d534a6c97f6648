import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/program.js';
import type { CliIO } from '../../src/cli/io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs an `inkstone` command in-process with its own environment and captured output: the same code path as the
 * real binary minus process startup. `env` replaces the environment entirely (APP_ENV defaults to test).
 */
export async function runInkstone(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; stdin?: string; stop?: Promise<void> } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io: CliIO = {
    env: { APP_ENV: 'test', LOG_LEVEL: 'warn', ...options.env },
    cwd: options.cwd ?? process.cwd(),
    stdout,
    stderr,
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    waitForStop: () => (options.stop ?? new Promise<void>(() => {})).then(() => 'SIGTERM' as const),
  };
  const code = await runCli(args, io);
  return { code, stdout: out, stderr: err };
}
