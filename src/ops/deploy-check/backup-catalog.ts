import type { NewestBackup } from './runtime-checks.js';

/**
 * The seam to the backup feature: deploy:check only needs the newest backup's id and time. The backup work
 * (backup:run / backup:list) lands separately; until the composition root passes its catalog, this one answers.
 */
export interface BackupCatalog {
  newest(): Promise<NewestBackup>;
}

export const backupsNotInThisBuild: BackupCatalog = {
  newest: () => Promise.resolve({ kind: 'unavailable', reason: 'backups not available in this build' }),
};
