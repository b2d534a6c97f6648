import { Cron } from 'croner';

export interface ScheduledTask {
  /** Unique; for command tasks, the command line (e.g. `backup:run --incremental`). */
  readonly name: string;
  readonly cron: string;
  readonly description: string;
  /** A run still going after this long is presumed crashed and no longer blocks the next one. */
  readonly overlapExpiryMs: number;
  /** Returns the output worth keeping (its tail is recorded); throws when the run failed. */
  run(): Promise<string>;
}

/** Runs a CLI command in-process and returns its exit code and output (the CLI layer provides it). */
export type CommandRunner = (args: readonly string[]) => Promise<{ code: number; output: string }>;

/** Makes a five-part cron pattern in the schedule's time zone, or throws with the pattern in the message. */
export function cronFor(pattern: string, timezone: string): Cron {
  try {
    return new Cron(pattern, { timezone, paused: true });
  } catch (err) {
    throw new Error(`invalid cron expression "${pattern}": ${(err as Error).message}`, { cause: err });
  }
}
