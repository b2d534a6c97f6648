import { BackupError } from '../../domain/backup-errors.js';
import type { BackupDeps } from './deps.js';

export interface BackupLockOptions {
  /** What runs, shown to whoever is refused: e.g. `backup:run (cli)`, `backup:run (dashboard job)`. */
  what: string;
  /** Wait this long for the lock instead of failing at once (0, the default: fail fast). */
  waitMs?: number;
  /** Called once when the lock is busy and we start waiting. */
  onWait?: (holder: string) => void;
  pollMs?: number;
}

/**
 * Runs `fn` while holding the backup lock: backups, restores and retention never interleave, whoever starts them
 * (CLI, schedule, dashboard job) and on whichever host. A refused run fails with `backup_in_progress`.
 */
export async function withBackupLock<T>(
  deps: BackupDeps,
  options: BackupLockOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const waitMs = options.waitMs ?? 0;
  let told = false;
  for (;;) {
    const attempt = await deps.lock.tryAcquire(options.what);
    if (attempt.ok) {
      try {
        return await fn();
      } finally {
        await attempt.release();
      }
    }
    const waited = Date.now() - started;
    if (waited >= waitMs) {
      throw new BackupError(
        'backup_in_progress',
        `backup_in_progress: ${attempt.holder} holds the backup lock${waitMs ? ` (waited ${Math.round(waited / 1000)} s)` : ''}; try again when it is done, or pass --wait=SECONDS`,
      );
    }
    if (!told) {
      told = true;
      options.onWait?.(attempt.holder);
    }
    await new Promise((r) => setTimeout(r, Math.min(options.pollMs ?? 500, waitMs - waited)));
  }
}
