/** What a command may touch of its process; tests pass their own to run commands in-process. */
export interface CliIO {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream;
  /**
   * Resolves when the process is asked to stop (SIGTERM/SIGINT). Long-running roles (`serve`, workers) call it;
   * the signal handlers are installed only then, so Ctrl-C still interrupts a one-shot command at once.
   */
  waitForStop(): Promise<NodeJS.Signals>;
  /** Who started the command when it was not a person (the schedule): named to whoever a lock refuses. */
  readonly startedBy?: 'schedule';
}

export function println(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
