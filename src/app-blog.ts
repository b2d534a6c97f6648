import type { Database } from './adapters/db/database.js';
import { createUsersRepository } from './adapters/db/repositories/users.js';
import { allArticleSlugs, createArticlesRepository } from './adapters/db/repositories/articles.js';
import { createTagsRepository } from './adapters/db/repositories/tags.js';
import { createCommentsRepository } from './adapters/db/repositories/comments.js';
import { createArgon2Hasher, type PasswordHasher } from './adapters/crypto/passwords.js';
import { randomSecret } from './adapters/crypto/tokens.js';
import { createMarkdownRenderer } from './services/content/markdown.js';
import { createUserService, type UserService } from './services/users.js';
import { createTagService, type TagService } from './services/tags.js';
import { createArticleService, type ArticleService } from './services/articles.js';
import { seedDemoContent, type SeedOptions, type SeedRepositories, type SeedSummary } from './services/seed/seed.js';

/** The blog's services, wired from the database (part of the composition root; see app.ts). */
export interface BlogServices {
  readonly users: UserService;
  readonly tags: TagService;
  readonly articles: ArticleService;
  readonly hasher: PasswordHasher;
  seed(options: SeedOptions): Promise<SeedSummary>;
}

/** The same Database, with every query going to one open transaction. */
function boundTo(db: Database, trx: Database['primary']): Database {
  return { ...db, primary: trx, reader: () => trx };
}

export function createBlogServices(db: Database, now: () => Date = () => new Date()): BlogServices {
  const hasher = createArgon2Hasher();
  const render = createMarkdownRenderer();
  const usersRepo = createUsersRepository(db);
  const articlesRepo = createArticlesRepository(db);
  const tags = createTagService({ tags: createTagsRepository(db), now });
  const users = createUserService({ users: usersRepo, hasher, now });
  const articles = createArticleService({ articles: articlesRepo, tags, render, now });
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
    hasher,
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
  };
}
