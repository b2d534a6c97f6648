/** The names jobs are queued under: stable, since queued rows outlive a deploy. */
export const JOB = {
  publishDueArticles: 'articles:publish-due',
  notifyCommentAuthor: 'comments:notify-author',
  heartbeat: 'queue:heartbeat',
  mediaVariants: 'media:variants',
} as const;

export const MAIL_QUEUE = 'mail';
