import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { ScheduleRunStore } from '../../adapters/db/repositories/schedule-runs.js';
import { cronFor, type ScheduledTask } from './task.js';

const OUTPUT_TAIL = 2000;

export interface SchedulerDeps {
  tasks: readonly ScheduledTask[];
  store: ScheduleRunStore;
  clock: Clock;
  logger: Logger;
  timezone: string;
  /** Names this process in the run records (host:pid). */
  owner: string;
  /** How often the loop looks at the clock; a minute's tasks start within this much of the minute. */
  tickMs?: number;
}

export interface RunningScheduler {
  /** Start nothing new; wait for the runs in progress. */
  stop(): Promise<void>;
}

/**
 * The scheduler loop: each minute, every task whose cron matches that minute is claimed and run. Claiming is an
 * insert of (task, minute) with a unique key, so of several schedulers (machines) exactly one runs each slot; a
 * task whose previous run is still going is recorded as skipped rather than started twice.
 */
export function startScheduler(deps: SchedulerDeps): RunningScheduler {
  const { store, clock, logger, owner } = deps;
  const crons = deps.tasks.map((task) => ({ task, cron: cronFor(task.cron, deps.timezone) }));
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  let lastMinute = -1;

  async function fire(task: ScheduledTask, slotAt: Date): Promise<void> {
    const now = clock.now();
    const overlapping = await store.isRunning(task.name, new Date(now.getTime() - task.overlapExpiryMs));
    const id = await store.claim({
      task: task.name,
      slotAt,
      owner,
      startedAt: now,
      outcome: overlapping ? 'skipped' : 'running',
    });
    if (id === false) return;
    if (overlapping) {
      logger.warn({ task: task.name }, 'scheduled task skipped: its previous run is still going');
      await store.finish(id, 'skipped', clock.now(), 'previous run still going');
      return;
    }
    try {
      const output = await task.run();
      await store.finish(id, 'ok', clock.now(), tail(output));
      logger.info({ task: task.name, ms: clock.now().getTime() - now.getTime() }, 'scheduled task done');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await store.finish(id, 'failed', clock.now(), tail(message));
      logger.error({ task: task.name, err }, 'scheduled task failed');
    }
  }

  function tick(): void {
    const now = clock.now().getTime();
    const minute = Math.floor(now / 60_000) * 60_000;
    if (minute === lastMinute) return;
    lastMinute = minute;
    const slotAt = new Date(minute);
    for (const { task, cron } of crons) {
      if (!cron.match(slotAt)) continue;
      const run = fire(task, slotAt).catch((err: unknown) =>
        logger.error({ task: task.name, err }, 'could not record a scheduled run (database down?)'),
      );
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    }
  }

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      tick();
      const now = clock.now().getTime();
      const untilNextMinute = 60_000 - (now % 60_000);
      await clock.sleep(Math.min(deps.tickMs ?? 1000, untilNextMinute), stopping.signal);
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await loop;
      await Promise.all([...inFlight]);
    },
  };
}

function tail(text: string): string {
  return text.length > OUTPUT_TAIL ? `…${text.slice(-OUTPUT_TAIL)}` : text;
}
