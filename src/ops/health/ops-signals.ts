import type { QueueDriver } from '../../adapters/queue/queue-port.js';
import type { ScheduleRunStore } from '../../adapters/db/repositories/schedule-runs.js';
import type { Metrics } from '../../adapters/metrics/metrics.js';
import type { MonitorResult } from '../backup/maintain.js';
import type { AlertRule } from '../alerts/engine.js';
import type { HealthCheck } from './checks.js';

// Health checks, alert rules and Prometheus gauges for the queue, the scheduler and backups: the same signals,
// read from the same places, so /health, the alert notices and /metrics never disagree.

const FIVE_MINUTES = 5 * 60_000;
const HEARTBEAT_TASK = 'queue:heartbeat';

/** Remembers a slow answer (a backup catalog on S3) for `ttlMs`, so health and scrapes do not list it each time. */
export function cached<T>(fn: () => Promise<T>, ttlMs: number, now: () => number = Date.now): () => Promise<T> {
  let value: { at: number; result: Promise<T> } | undefined;
  return () => {
    if (!value || now() - value.at > ttlMs) {
      const result = fn();
      value = { at: now(), result };
      result.catch(() => (value = undefined));
    }
    return value.result;
  };
}

/** Workers consume: no ready job (the scheduler's heartbeat included) has waited longer than five minutes. */
export function queueCheck(queue: QueueDriver): HealthCheck {
  return {
    name: 'queue',
    async run() {
      const counts = await queue.counts();
      const late = counts.filter((c) => (c.oldestWaitingMs ?? 0) > FIVE_MINUTES);
      if (late.length > 0) {
        return {
          ok: false,
          detail: late
            .map((c) => `${c.queue}: oldest job waits ${Math.round(c.oldestWaitingMs! / 60_000)} min`)
            .join('; '),
        };
      }
      const waiting = counts.reduce((n, c) => n + c.waiting, 0);
      return { ok: true, detail: `${waiting} waiting, none older than 5 min` };
    },
  };
}

/** The scheduler runs: its every-minute heartbeat ran within five minutes (once any scheduler has run here). */
export function schedulerCheck(runs: ScheduleRunStore, now: () => Date): HealthCheck {
  return {
    name: 'scheduler',
    async run() {
      const last = await runs.latest(HEARTBEAT_TASK);
      if (!last) return { ok: true, detail: 'no scheduler has run against this database yet' };
      const ageMs = now().getTime() - last.startedAt.getTime();
      return {
        ok: ageMs <= FIVE_MINUTES,
        detail: `last heartbeat ${Math.round(ageMs / 1000)} s ago${ageMs > FIVE_MINUTES ? ' (is schedule:work running?)' : ''}`,
      };
    },
  };
}

export function backupsCheck(monitor: () => Promise<MonitorResult>): HealthCheck {
  return {
    name: 'backups',
    async run() {
      const m = await monitor();
      return {
        ok: m.ok,
        detail: m.ok
          ? `newest ${m.newest?.id} ${Math.round((m.newest?.ageMs ?? 0) / 3_600_000)} h old`
          : m.problems.join('; '),
      };
    },
  };
}

export function queueBacklogRule(queue: QueueDriver, maxWaiting = 100): AlertRule {
  return {
    name: 'queue_backlog',
    severity: 'warning',
    async evaluate() {
      const over = (await queue.counts()).filter((c) => c.waiting > maxWaiting);
      return {
        firing: over.length > 0,
        summary:
          over.length > 0
            ? over.map((c) => `${c.queue}: ${c.waiting} waiting`).join('; ')
            : `every queue under ${maxWaiting}`,
      };
    },
  };
}

/** Fires when failed jobs grew since the previous evaluation; clears when they stop growing. */
export function failedJobsGrowingRule(queue: QueueDriver): AlertRule {
  let previous: number | undefined;
  return {
    name: 'failed_jobs_growing',
    severity: 'warning',
    async evaluate() {
      const failed = (await queue.counts()).reduce((n, c) => n + c.failed, 0);
      const grew = previous !== undefined && failed > previous;
      const summary = `${failed} failed jobs${previous !== undefined ? ` (was ${previous})` : ''}; see inkstone queue:failed`;
      previous = failed;
      return { firing: grew, summary };
    },
  };
}

export function backupAgeRule(monitor: () => Promise<MonitorResult>): AlertRule {
  return {
    name: 'backup_too_old',
    severity: 'critical',
    async evaluate() {
      const m = await monitor();
      return { firing: !m.ok, summary: m.ok ? `newest backup ${m.newest?.id}` : m.problems.join('; ') };
    },
  };
}

export function registerOpsGauges(
  metrics: Metrics,
  sources: { queue: QueueDriver; runs: ScheduleRunStore; backups: () => Promise<MonitorResult>; now: () => Date },
): void {
  metrics.addGauge('inkstone_queue_jobs', 'Jobs per queue and state', ['queue', 'state'], async () =>
    (await sources.queue.counts()).flatMap((c) =>
      (['waiting', 'active', 'delayed'] as const).map((state) => ({
        labels: { queue: c.queue, state },
        value: c[state],
      })),
    ),
  );
  metrics.addGauge('inkstone_queue_failed_jobs', 'Failed jobs kept per queue', ['queue'], async () =>
    (await sources.queue.counts()).map((c) => ({ labels: { queue: c.queue }, value: c.failed })),
  );
  metrics.addGauge('inkstone_backup_newest_age_seconds', 'Age of the newest regular backup set', [], async () => {
    const m = await sources.backups();
    return m.newest ? [{ value: m.newest.ageMs / 1000 }] : [];
  });
  metrics.addGauge(
    'inkstone_schedule_last_run_age_seconds',
    'Seconds since the heartbeat task last ran',
    ['task'],
    async () => {
      const last = await sources.runs.latest(HEARTBEAT_TASK);
      return last
        ? [{ labels: { task: HEARTBEAT_TASK }, value: (sources.now().getTime() - last.startedAt.getTime()) / 1000 }]
        : [];
    },
  );
}
