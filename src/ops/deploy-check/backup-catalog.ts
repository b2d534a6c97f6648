import type { BackupDeps } from '../backup/deps.js';
import { listBackups } from '../backup/maintain.js';
import type { NewestBackup } from './runtime-checks.js';

/** deploy:check only needs the newest backup's id and time. */
export interface BackupCatalog {
  newest(): Promise<NewestBackup>;
}

/**
 * The newest regular (non-safety) backup set on the configured destinations. A destination that cannot be read
 * makes the line a warning that says why, not a failed deploy check.
 */
export function backupCatalog(deps: BackupDeps): BackupCatalog {
  return {
    async newest() {
      try {
        const newest = (await listBackups(deps)).filter((b) => !b.safety).at(-1);
        return newest ? { kind: 'found', id: newest.id, createdAt: new Date(newest.createdAt) } : { kind: 'none' };
      } catch (err) {
        return { kind: 'unavailable', reason: `cannot read the backups: ${(err as Error).message}` };
      }
    },
  };
}
