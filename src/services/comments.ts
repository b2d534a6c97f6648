import type { CommentRecord, CommentsRepository } from '../adapters/db/repositories/comments.js';
import type { RateLimiter } from '../adapters/rate-limit/rate-limiter.js';
import type { CommentStatus } from '../domain/article-status.js';
import { AppError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../domain/errors.js';
import { can, type Actor } from '../domain/policy.js';
import { isValidEmail, normalizeEmail, NAME_MAX } from '../domain/user.js';
import type { ArticleService } from './articles.js';
import type { ContentChanged } from './content-changes.js';

export const COMMENT_MAX = 5000;

export interface NewComment {
  name: string;
  email: string;
  body: string;
  /** The honeypot: a field people never see, so only bots fill it. */
  website?: string;
}

export interface CommentService {
  /** Posts a comment for moderation. A filled honeypot is accepted silently and dropped. */
  post(articleId: number, input: NewComment, from: { ip: string; userAgent?: string }): Promise<{ id: number | null }>;
  /** A page of the approved comments under a live article, oldest first (404 when the article is not live). */
  listApproved(articleId: number, page: number, limit: number): Promise<{ items: CommentRecord[]; total: number }>;
  listForModeration(
    actor: Actor,
    status: CommentStatus,
    page: number,
    limit: number,
  ): Promise<{ items: CommentRecord[]; total: number }>;
  moderate(actor: Actor, id: number, status: 'approved' | 'spam'): Promise<CommentRecord>;
  delete(actor: Actor, id: number): Promise<void>;
}

export function createCommentService(deps: {
  comments: CommentsRepository;
  articles: ArticleService;
  limiter: RateLimiter;
  limits: { maxPerIp: number; windowMs: number };
  now: () => Date;
  /** Told about every comment saved (the composition root queues the author's notification email). */
  onPosted?: (commentId: number) => Promise<void>;
  /** Told when moderation changes what an article's page shows. */
  changed?: ContentChanged;
  /** The site setting: when it says no, new comments are refused (existing ones stay). */
  commentsOpen?: () => Promise<boolean>;
}): CommentService {
  const { comments } = deps;
  const mustModerate = (actor: Actor) => {
    if (!can(actor, 'comment:moderate')) throw new ForbiddenError('only editors and admins moderate comments');
  };
  return {
    async post(articleId, input, from) {
      const article = await deps.articles.get(undefined, { id: articleId });
      if (deps.commentsOpen && !(await deps.commentsOpen())) {
        throw new AppError('comments_closed', 'comments are closed on this site', 403);
      }
      const limit = await deps.limiter.hit(`comment:ip:${from.ip}`, deps.limits.maxPerIp, deps.limits.windowMs);
      if (!limit.allowed) throw new RateLimitedError('too many comments from this address', limit.retryAfterSeconds);
      if (input.website !== undefined && input.website !== '') return { id: null };
      const name = input.name.trim();
      const email = normalizeEmail(input.email);
      const body = input.body.trim();
      const problems: Array<{ path: string; message: string }> = [];
      if (name === '' || Array.from(name).length > NAME_MAX)
        problems.push({ path: '/name', message: `1 to ${NAME_MAX} characters` });
      if (!isValidEmail(email)) problems.push({ path: '/email', message: 'not a valid email address' });
      if (body === '' || body.length > COMMENT_MAX)
        problems.push({ path: '/body', message: `1 to ${COMMENT_MAX} characters` });
      if (problems.length > 0) throw new ValidationError('the comment is not valid', problems);
      const id = await comments.insert({
        article_id: article.id,
        author_name: name,
        author_email: email,
        body,
        status: 'pending',
        ip: from.ip.slice(0, 45),
        user_agent: from.userAgent?.slice(0, 255) ?? null,
        created_at: deps.now(),
      });
      await deps.onPosted?.(id);
      return { id };
    },
    async listApproved(articleId, page, limit) {
      await deps.articles.get(undefined, { id: articleId });
      return comments.listApproved(articleId, page, limit);
    },
    listForModeration(actor, status, page, limit) {
      mustModerate(actor);
      return comments.listByStatus(status, page, limit);
    },
    async moderate(actor, id, status) {
      mustModerate(actor);
      if (!(await comments.setStatus(id, status))) throw new NotFoundError('comment');
      const comment = (await comments.findById(id))!;
      await deps.changed?.({ kind: 'comment', articleId: comment.article_id });
      return comment;
    },
    async delete(actor, id) {
      mustModerate(actor);
      const comment = await comments.findById(id);
      if (!comment || !(await comments.delete(id))) throw new NotFoundError('comment');
      await deps.changed?.({ kind: 'comment', articleId: comment.article_id });
    },
  };
}
