import type { HealthReport } from '../health/checks.js';
import type { FailedJob, QueueCounts, QueueDriver } from '../../adapters/queue/queue-port.js';
import type { ScheduleRunStore } from '../../adapters/db/repositories/schedule-runs.js';
import type { ListedBackup } from '../backup/maintain.js';
import type { TrafficHistory, TrafficSummary } from './traffic-history.js';
import type { NotableRequest, RecentRequests } from './recent-requests.js';

/** One part of the overview: its data, or why it could not be read (one broken source never blanks the page). */
export type Part<T> = { ok: true; data: T } | { ok: false; error: string };

export interface ScheduledTaskRun {
  task: string;
  startedAt: string;
  endedAt: string | null;
  outcome: string;
  ageMs: number;
  output: string | null;
}

// A type alias (not an interface) so it fits the route's loose response schema.
export type OpsOverview = {
  generatedAt: string;
  health: Part<HealthReport>;
  traffic: TrafficSummary;
  queue: Part<{ driver: string; counts: QueueCounts[]; failed: FailedJob[]; failedTotal: number }>;
  backups: Part<ListedBackup[]>;
  schedule: Part<ScheduledTaskRun[]>;
  recent: NotableRequest[];
};

export interface OverviewDeps {
  health: () => Promise<HealthReport>;
  traffic: TrafficHistory;
  recent: RecentRequests;
  queue: QueueDriver;
  listBackups: () => Promise<ListedBackup[]>;
  scheduleRuns: ScheduleRunStore;
  now: () => Date;
  /** Each part gets this long before it is reported as failed (default 3 s). */
  partTimeoutMs?: number;
}

const FAILED_SHOWN = 50;

async function part<T>(read: () => Promise<T>, timeoutMs: number): Promise<Part<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return { ok: true, data: await Promise.race([read(), timeout]) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Everything the ops dashboard shows, read in parallel. */
export async function readOverview(deps: OverviewDeps): Promise<OpsOverview> {
  const timeoutMs = deps.partTimeoutMs ?? 3000;
  const now = deps.now();
  const [health, queue, backups, schedule] = await Promise.all([
    part(deps.health, timeoutMs),
    part(async () => {
      const [counts, failed] = await Promise.all([deps.queue.counts(), deps.queue.listFailed()]);
      const newestFirst = [...failed].sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime());
      return {
        driver: deps.queue.name,
        counts,
        failed: newestFirst.slice(0, FAILED_SHOWN),
        failedTotal: failed.length,
      };
    }, timeoutMs),
    part(async () => (await deps.listBackups()).reverse(), timeoutMs),
    part(
      async () => latestPerTask(await deps.scheduleRuns.between(new Date(now.getTime() - 86_400_000), now), now),
      timeoutMs,
    ),
  ]);
  return {
    generatedAt: now.toISOString(),
    health,
    traffic: deps.traffic.summary(),
    queue,
    backups,
    schedule,
    recent: deps.recent.list(),
  };
}

function latestPerTask(
  runs: Array<{ task: string; startedAt: Date; endedAt: Date | null; outcome: string; output: string | null }>,
  now: Date,
): ScheduledTaskRun[] {
  const latest = new Map<string, ScheduledTaskRun>();
  for (const r of runs) {
    const seen = latest.get(r.task);
    if (seen && Date.parse(seen.startedAt) >= r.startedAt.getTime()) continue;
    latest.set(r.task, {
      task: r.task,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
      outcome: r.outcome,
      ageMs: now.getTime() - r.startedAt.getTime(),
      output: r.output,
    });
  }
  return [...latest.values()].sort((a, b) => a.task.localeCompare(b.task));
}
