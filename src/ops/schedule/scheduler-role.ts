import { hostname } from 'node:os';
import type { App } from '../../app.js';
import { publishDueArticles } from '../../adapters/db/repositories/scheduled-publishing.js';
import { JOB } from '../../jobs/names.js';
import { defaultSchedule, ScheduleBuilder } from './schedule-table.js';
import { startScheduler, type RunningScheduler } from './scheduler.js';
import type { CommandRunner, ScheduledTask } from './task.js';

/** The schedule of this app: the default table, its commands run through `runCommand`. */
export function buildSchedule(app: App, runCommand: CommandRunner): ScheduledTask[] {
  const builder = new ScheduleBuilder(runCommand, app.config.schedule.timezone);
  return defaultSchedule(builder, {
    publishDueArticles: async () => {
      const published = await publishDueArticles(app.db.primary, app.clock.now());
      for (const article of published)
        await app.contentChanged({ kind: 'article', articleId: article.id, public: true });
      return published.length;
    },
    incrementalBackups: app.db.dialect !== 'postgres',
    enqueueHeartbeat: async () => {
      await app.queue.enqueue({ name: JOB.heartbeat, payload: { at: app.clock.now().toISOString() }, maxAttempts: 1 });
    },
  }).tasks;
}

/** The scheduler role: `schedule:work` runs it alone, `serve --with-scheduler` beside the web server. */
export function startSchedulerRole(
  app: App,
  tasks: readonly ScheduledTask[],
  options: { tickMs?: number } = {},
): RunningScheduler {
  app.logger.info({ tasks: tasks.length, timezone: app.config.schedule.timezone }, 'scheduler started');
  return startScheduler({
    tasks,
    store: app.scheduleRuns,
    clock: app.clock,
    logger: app.logger,
    timezone: app.config.schedule.timezone,
    owner: `${hostname()}:${process.pid}`,
    tickMs: options.tickMs,
  });
}
