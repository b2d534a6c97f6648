import type { Kysely } from 'kysely';
import type { CommentStatus } from '../../../domain/article-status.js';
import type { DB } from '../schema.js';

export interface CommentForNotification {
  commentId: number;
  commentStatus: CommentStatus;
  commenterName: string;
  body: string;
  articleTitle: string;
  articleSlug: string;
  authorName: string;
  authorEmail: string;
}

/** A comment with what its notification mail needs: the article's title and slug, its author's name and email. */
export async function findCommentForNotification(
  db: Kysely<DB>,
  commentId: number,
): Promise<CommentForNotification | undefined> {
  const row = await db
    .selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .innerJoin('users', 'users.id', 'articles.author_id')
    .select([
      'comments.id as commentId',
      'comments.status as commentStatus',
      'comments.author_name as commenterName',
      'comments.body as body',
      'articles.title as articleTitle',
      'articles.slug as articleSlug',
      'users.name as authorName',
      'users.email as authorEmail',
    ])
    .where('comments.id', '=', commentId)
    .executeTakeFirst();
  return row ? { ...row, commentId: Number(row.commentId) } : undefined;
}
