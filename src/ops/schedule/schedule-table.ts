import type { CommandRunner, ScheduledTask } from './task.js';
import { cronFor } from './task.js';

const HOUR_MS = 3_600_000;

/** Adds tasks to the table; every registration is one line (see defaultSchedule). */
export class ScheduleBuilder {
  readonly tasks: ScheduledTask[] = [];

  constructor(
    private readonly runCommand: CommandRunner,
    private readonly timezone: string,
  ) {}

  /** A CLI command, run in-process; a non-zero exit is a failed run. */
  command(commandLine: string, cron: string, description = `inkstone ${commandLine}`): this {
    const args = commandLine.split(/\s+/).filter(Boolean);
    return this.call(commandLine, cron, description, async () => {
      const { code, output } = await this.runCommand(args);
      if (code !== 0) throw new Error(`exit ${code}: ${output.trim().split('\n').slice(-3).join(' | ')}`);
      return output;
    });
  }

  /** A function of the app (no command behind it). */
  call(
    name: string,
    cron: string,
    description: string,
    run: () => Promise<string | void>,
    overlapExpiryMs = HOUR_MS,
  ): this {
    cronFor(cron, this.timezone); // fail at start, not at 02:00
    if (this.tasks.some((t) => t.name === name)) throw new Error(`schedule task "${name}" is registered twice`);
    this.tasks.push({ name, cron, description, overlapExpiryMs, run: async () => (await run()) ?? '' });
    return this;
  }
}

export interface ScheduleDeps {
  publishDueArticles(): Promise<number>;
  enqueueHeartbeat(): Promise<void>;
  /** False on PostgreSQL, whose backups are full only: the 6-hourly line would only ever record failures. */
  incrementalBackups: boolean;
}

/**
 * The maintenance schedule of the operations design (section 7.1 and 2.1.3), in SCHEDULE_TIMEZONE.
 * Backups as the design has them: a full set daily at 02:00, an incremental every 6 hours (MySQL/MariaDB binlogs,
 * SQLite pages; PostgreSQL has no incrementals yet, so its table leaves that line out), retention daily.
 */
export function defaultSchedule(s: ScheduleBuilder, deps: ScheduleDeps): ScheduleBuilder {
  s.call('articles:publish-due', '* * * * *', 'publish scheduled articles whose time has come', async () => {
    const n = await deps.publishDueArticles();
    return `published ${n}`;
  })
    .call('queue:heartbeat', '* * * * *', 'queue a heartbeat job (proves workers consume)', async () => {
      await deps.enqueueHeartbeat();
      return 'queued';
    })
    .command('session:gc', '0 * * * *')
    .command('log:clear', '0 0 * * *')
    .command('db:optimize', '0 0 * * 0')
    .command('backup:run', '0 2 * * *');
  // The incremental and the clean wait up to 30 minutes for a run that holds the backup lock (a long full backup
  // at 02:00) instead of failing and paging someone for an overlap that resolves itself.
  if (deps.incrementalBackups) s.command('backup:run --incremental --wait=1800', '0 */6 * * *');
  return s.command('backup:clean --wait=1800', '30 2 * * *');
}
