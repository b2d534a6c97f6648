import type { QueueCounts } from '../adapters/queue/queue-port.js';

export interface QueueCheck {
  queue: string;
  ok: boolean;
  waiting: number;
  max: number;
  oldestWaitingMs: number | null;
}

export interface QueueAlert {
  queue: string;
  kind: 'backlog' | 'slow';
  message: string;
}

/** Compares each watched queue with its thresholds; a queue never seen counts as empty (not an alert). */
export function checkQueues(
  counts: readonly QueueCounts[],
  thresholds: ReadonlyMap<string, number>,
  maxWaitMs: number,
): { ok: boolean; queues: QueueCheck[]; alerts: QueueAlert[] } {
  const alerts: QueueAlert[] = [];
  const queues = [...thresholds].map(([queue, max]) => {
    const c = counts.find((q) => q.queue === queue);
    const waiting = c?.waiting ?? 0;
    const oldest = c?.oldestWaitingMs ?? null;
    let ok = true;
    if (waiting > max) {
      ok = false;
      alerts.push({ queue, kind: 'backlog', message: `${queue} has ${waiting} jobs waiting (max ${max})` });
    }
    if (oldest !== null && oldest > maxWaitMs) {
      ok = false;
      alerts.push({
        queue,
        kind: 'slow',
        message: `${queue}'s oldest job has waited ${Math.round(oldest / 1000)} s (max ${Math.round(maxWaitMs / 1000)} s)`,
      });
    }
    return { queue, ok, waiting, max, oldestWaitingMs: oldest };
  });
  return { ok: alerts.length === 0, queues, alerts };
}
