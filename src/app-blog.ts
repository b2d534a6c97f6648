import type { Redis } from 'ioredis';
import type { Config } from './config/index.js';
import type { Database } from './adapters/db/database.js';
import { createUsersRepository } from './adapters/db/repositories/users.js';
import { allArticleSlugs, createArticlesRepository } from './adapters/db/repositories/articles.js';
import { createArticleSearch } from './adapters/db/repositories/article-search.js';
import { createTagsRepository } from './adapters/db/repositories/tags.js';
import { createTagDirectory } from './adapters/db/repositories/tag-directory.js';
import { createCommentsRepository } from './adapters/db/repositories/comments.js';
import { createApiTokensRepository } from './adapters/db/repositories/api-tokens.js';
import { createArgon2Hasher, type PasswordHasher } from './adapters/crypto/passwords.js';
import { randomSecret, safeEqual, sha256Hex } from './adapters/crypto/tokens.js';
import { createDatabaseSessionStore, createRedisSessionStore } from './adapters/sessions/session-store.js';
import { createMemoryRateLimiter, createRedisRateLimiter } from './adapters/rate-limit/rate-limiter.js';
import { createMarkdownRenderer } from './services/content/markdown.js';
import { createUserService, type UserService } from './services/users.js';
import { createTagService, type TagService } from './services/tags.js';
import { createArticleService, type ArticleService } from './services/articles.js';
import { createCommentService, type CommentService } from './services/comments.js';
import { createAuthService, type AuthService } from './services/auth.js';
import { cacheTag, type ContentChanged } from './services/content-changes.js';
import { createSettingsService, type SettingsService } from './services/settings.js';
import { createSettingsRepository } from './adapters/db/repositories/settings.js';
import { seedDemoContent, type SeedOptions, type SeedRepositories, type SeedSummary } from './services/seed/seed.js';
import type { Cache } from './adapters/cache/cache-port.js';

/** The blog's services, wired from the database and config (part of the composition root; see app.ts). */
export interface BlogServices {
  readonly users: UserService;
  readonly tags: TagService;
  readonly articles: ArticleService;
  readonly comments: CommentService;
  readonly auth: AuthService;
  readonly settings: SettingsService;
  readonly hasher: PasswordHasher;
  /** Where sessions and rate limits live: 'database'/'memory' by default, 'redis' with REDIS_URL. */
  readonly stores: { sessions: 'database' | 'redis'; rateLimits: 'memory' | 'redis' };
  seed(options: SeedOptions): Promise<SeedSummary>;
  close(): Promise<void>;
}

/** The same Database, with every query going to one open transaction. */
function boundTo(db: Database, trx: Database['primary']): Database {
  return { ...db, primary: trx, reader: () => trx };
}

export function createBlogServices(
  db: Database,
  config: Pick<Config, 'auth' | 'comments' | 'redisPrefix' | 'appName'>,
  now: () => Date = () => new Date(),
  hooks: {
    commentPosted?: (commentId: number) => Promise<void>;
    /** Told after every content write (the composition root drops cached pages and API reads with it). */
    contentChanged?: ContentChanged;
    /** Sessions and rate limits go to Redis when given one (the composition root does with REDIS_URL). */
    redis?: Redis;
    /** Where derived figures are kept (the live totals of article lists); absent, they are counted every time. */
    cache?: Cache;
  } = {},
): BlogServices {
  const redis = hooks.redis;
  const hasher = createArgon2Hasher();
  const render = createMarkdownRenderer();
  const usersRepo = createUsersRepository(db);
  // One copy of the tags for every read of the app's repository (tag-directory.ts); a transaction's loads its own.
  const tagDirectory = hooks.cache
    ? createTagDirectory({ cache: hooks.cache, invalidatedBy: cacheTag.content })
    : createTagDirectory();
  const articlesRepo = createArticlesRepository(db, tagDirectory);
  const limiter = redis ? createRedisRateLimiter(redis, config.redisPrefix) : createMemoryRateLimiter();
  const sessions = redis ? createRedisSessionStore(redis, config.redisPrefix) : createDatabaseSessionStore(db);
  const changed = hooks.contentChanged;
  const tags = createTagService({ tags: createTagsRepository(db), now, changed });
  const users = createUserService({ users: usersRepo, hasher, now, changed });
  const articles = createArticleService({
    articles: articlesRepo,
    search: createArticleSearch(db),
    tags,
    render,
    now,
    changed,
    cache: hooks.cache,
  });
  const settings = createSettingsService({
    settings: createSettingsRepository(db),
    appName: config.appName,
    now,
    changed,
    cache: hooks.cache,
  });
  const comments = createCommentService({
    comments: createCommentsRepository(db),
    articles,
    limiter,
    limits: config.comments,
    now,
    onPosted: hooks.commentPosted,
    changed,
    commentsOpen: async () => (await settings.get()).commentsOpen,
  });
  const auth = createAuthService({
    users: usersRepo,
    sessions,
    tokens: createApiTokensRepository(db),
    limiter,
    hasher,
    secrets: { random: () => randomSecret(32), hash: sha256Hex, equal: safeEqual },
    limits: config.auth.login,
    sessionTtlMs: config.auth.sessionTtlMs,
    now,
  });
  const inTransaction = <T>(fn: (repos: SeedRepositories) => Promise<T>): Promise<T> =>
    db.primary.transaction().execute((trx) => {
      const bound = boundTo(db, trx);
      return fn({
        users: createUsersRepository(bound),
        articles: createArticlesRepository(bound),
        comments: createCommentsRepository(bound),
      });
    });
  return {
    users,
    tags,
    articles,
    comments,
    auth,
    settings,
    hasher,
    stores: { sessions: redis ? 'redis' : 'database', rateLimits: redis ? 'redis' : 'memory' },
    seed: (options) =>
      seedDemoContent(
        {
          inTransaction,
          tags,
          existingSlugs: () => allArticleSlugs(db),
          render,
          hasher,
          randomPassword: () => randomSecret(12),
          now,
        },
        options,
      ),
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
