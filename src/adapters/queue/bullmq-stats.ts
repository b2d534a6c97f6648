import type { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueCounts } from './queue-port.js';

// Per-queue, per-minute counters of finished jobs, as the database driver keeps in queue_metrics. (BullMQ's own
// metrics leave the current minute out until the next one starts, which hides a quiet queue's last hour.)
const KEEP_SECONDS = 25 * 3600;

const minuteKey = (prefix: string, queue: string, minute: number) => `${prefix}metrics:${queue}:${minute}`;

export async function recordFinished(
  redis: Redis,
  prefix: string,
  queue: string,
  now: Date,
  field: 'processed' | 'failed',
): Promise<void> {
  const key = minuteKey(prefix, queue, Math.floor(now.getTime() / 60_000));
  // Re-registers the queue name too: a Redis restarted without persistence forgets the registry.
  await redis.multi().hincrby(key, field, 1).expire(key, KEEP_SECONDS).sadd(registryKey(prefix), queue).exec();
}

export const registryKey = (prefix: string) => `${prefix}queues`;

/** One queue's counts from BullMQ's own sets and our per-minute counters. */
export async function bullmqCounts(
  queue: Queue,
  redis: Redis,
  prefix: string,
  name: string,
  now: Date,
): Promise<QueueCounts> {
  const counts = await queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
  const [oldest] = (await queue.getJobs(['wait'], 0, 0, true)) as Job[];
  const thisMinute = Math.floor(now.getTime() / 60_000);
  const pipeline = redis.pipeline();
  for (let m = thisMinute - 59; m <= thisMinute; m++) pipeline.hmget(minuteKey(prefix, name, m), 'processed', 'failed');
  let processed = 0;
  let failed = 0;
  for (const [err, value] of (await pipeline.exec()) ?? []) {
    if (err) throw err;
    const [p, f] = value as (string | null)[];
    processed += Number(p ?? 0);
    failed += Number(f ?? 0);
  }
  return {
    queue: name,
    waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0),
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
    processedLastHour: processed,
    failedLastHour: failed,
    oldestWaitingMs: oldest ? Math.max(0, now.getTime() - (oldest.timestamp + (oldest.opts.delay ?? 0))) : null,
  };
}
