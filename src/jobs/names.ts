/** The names jobs are queued under: stable, since queued rows outlive a deploy. */
export const JOB = {
  publishDueArticles: 'articles:publish-due',
  notifyCommentAuthor: 'comments:notify-author',
  heartbeat: 'queue:heartbeat',
  backup: 'backup:run',
  mediaVariants: 'media:variants',
  warmSite: 'site:warm',
} as const;

export const MAIL_QUEUE = 'mail';

export interface BackupJobPayload {
  incremental?: boolean;
}

/** A backup asked for from the dashboard: run by a worker, one try (a failed backup is reported, not repeated). */
export function backupJob(payload: BackupJobPayload) {
  return {
    name: JOB.backup,
    payload,
    maxAttempts: 1,
    // The worker's heartbeat keeps the reservation while it runs; a big database takes a while.
    timeoutMs: 6 * 3_600_000,
  };
}
