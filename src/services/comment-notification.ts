import type { CommentForNotification } from '../adapters/db/repositories/comment-notification.js';
import type { Mailer } from '../adapters/mail/mailer.js';

export interface CommentNotificationDeps {
  findComment(commentId: number): Promise<CommentForNotification | undefined>;
  /** Undefined when MAIL_URL is not set: the notification is skipped with a reason. */
  mailer: Mailer | undefined;
  appUrl: string;
}

export type NotificationResult = { sent: true; to: string } | { sent: false; reason: string };

/** Mails an article's author about a new comment. Spam and deleted comments are not worth a mail. */
export async function notifyAuthorOfComment(
  deps: CommentNotificationDeps,
  commentId: number,
): Promise<NotificationResult> {
  const c = await deps.findComment(commentId);
  if (!c) return { sent: false, reason: `comment ${commentId} no longer exists` };
  if (c.commentStatus === 'spam') return { sent: false, reason: `comment ${commentId} is spam` };
  if (!deps.mailer) return { sent: false, reason: 'mail is not configured (MAIL_URL)' };
  const link = `${deps.appUrl}/articles/${encodeURIComponent(c.articleSlug)}#comment-${c.commentId}`;
  const moderation = c.commentStatus === 'pending' ? '\nIt waits for moderation before it is shown.\n' : '';
  await deps.mailer.send({
    to: c.authorEmail,
    subject: `New comment on "${c.articleTitle}"`,
    text: `Hello ${c.authorName},\n\n${c.commenterName} commented on "${c.articleTitle}":\n\n${c.body}\n${moderation}\n${link}\n`,
  });
  return { sent: true, to: c.authorEmail };
}
