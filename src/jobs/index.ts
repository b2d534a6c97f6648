import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../adapters/clock.js';
import type { DB } from '../adapters/db/schema.js';
import type { Mailer } from '../adapters/mail/mailer.js';
import type { QueueDriver } from '../adapters/queue/queue-port.js';
import { publishDueArticles } from '../adapters/db/repositories/scheduled-publishing.js';
import { findCommentForNotification } from '../adapters/db/repositories/comment-notification.js';
import { pruneMetrics } from '../adapters/queue/database-queue-stats.js';
import { notifyAuthorOfComment } from '../services/comment-notification.js';
import { ValidationError } from '../domain/errors.js';
import type { ContentChanged } from '../services/content-changes.js';
import type { JobHandler, JobHandlers } from './handlers.js';
import { JOB, MAIL_QUEUE, type BackupJobPayload } from './names.js';
import type { MediaService } from '../services/media/media-service.js';
import { mediaVariantsHandler } from './media-variants.js';
import { siteWarmHandler } from './site-warm.js';

export interface JobDeps {
  db: Kysely<DB>;
  clock: Clock;
  logger: Logger;
  mailer: Mailer | undefined;
  appUrl: string;
  queueDriver: QueueDriver['name'];
  contentChanged?: ContentChanged;
  /** Makes a backup set (the composition root wires the backup use case; absent, backup jobs fail). */
  runBackup?: (payload: BackupJobPayload) => Promise<void>;
  media?: MediaService;
}

/** Every job this build can run. Handlers are thin: read the payload, call the service, log what happened. */
export function createJobHandlers(deps: JobDeps): JobHandlers {
  const handlers = new Map<string, JobHandler>();

  handlers.set(JOB.publishDueArticles, async () => {
    const published = await publishDueArticles(deps.db, deps.clock.now());
    if (published.length > 0) deps.logger.info({ published }, `published ${published.length} scheduled article(s)`);
    for (const article of published)
      await deps.contentChanged?.({ kind: 'article', articleId: article.id, public: true });
  });

  handlers.set(JOB.notifyCommentAuthor, async (payload) => {
    const commentId = (payload as { commentId?: unknown } | null)?.commentId;
    if (typeof commentId !== 'number') throw new ValidationError('expected a payload like {"commentId": 12}');
    const result = await notifyAuthorOfComment(
      { findComment: (id) => findCommentForNotification(deps.db, id), mailer: deps.mailer, appUrl: deps.appUrl },
      commentId,
    );
    if (result.sent) deps.logger.info({ commentId, to: result.to }, 'comment notification sent');
    else deps.logger.info({ commentId, reason: result.reason }, 'comment notification skipped');
  });

  // Proves end to end that the queue is consumed: its enqueue-to-start latency is the queue's pulse.
  handlers.set(JOB.heartbeat, async (_payload, { job }) => {
    const latencyMs = deps.clock.now().getTime() - job.enqueuedAt.getTime();
    deps.logger.info({ latencyMs, queue: job.queue }, 'queue heartbeat');
    if (deps.queueDriver === 'database') await pruneMetrics(deps.db, deps.clock.now(), 24 * 3_600_000);
  });

  handlers.set(JOB.backup, async (payload) => {
    if (!deps.runBackup) throw new Error('this process cannot run backups');
    const incremental = (payload as BackupJobPayload | null)?.incremental;
    if (incremental !== undefined && typeof incremental !== 'boolean') {
      throw new ValidationError('expected a payload like {"incremental": true}');
    }
    await deps.runBackup({ incremental });
  });
  if (deps.media) handlers.set(JOB.mediaVariants, mediaVariantsHandler(deps.media));
  handlers.set(JOB.warmSite, siteWarmHandler({ appUrl: deps.appUrl, logger: deps.logger }));

  return handlers;
}

/** What the blog core calls after storing a comment (the integrator wires it into the comment service). */
export function commentNotificationJob(commentId: number) {
  return { name: JOB.notifyCommentAuthor, payload: { commentId }, queue: MAIL_QUEUE };
}
