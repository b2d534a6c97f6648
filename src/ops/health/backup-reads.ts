import { judgeBackups, type ListedBackup, type MonitorResult } from '../backup/maintain.js';
import type { BackupDeps } from '../backup/deps.js';
import { cached } from './ops-signals.js';

export interface BackupReads {
  /** The dashboard's list: read at most every 10 s, whoever reloads it. */
  list: () => Promise<ListedBackup[]>;
  /** What health, alerts and /metrics judge: one answer a minute, made from the list above. */
  monitor: () => Promise<MonitorResult>;
}

/**
 * One read of the backup catalog (a directory listing, or S3 requests) for both of its readers: the monitor judges
 * the dashboard's latest list instead of listing the sets again, and reads only when that list is older than 10 s.
 */
export function sharedBackupReads(
  read: () => Promise<ListedBackup[]>,
  limits: Pick<BackupDeps['config'], 'maxAgeMs' | 'maxBytes'>,
  now: () => number = Date.now,
): BackupReads {
  const list = cached(read, 10_000, now);
  const monitor = cached(async () => judgeBackups(await list(), limits), 60_000, now);
  return { list, monitor };
}
