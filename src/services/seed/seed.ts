import type { ArticlesRepository } from '../../adapters/db/repositories/articles.js';
import type { CommentsRepository } from '../../adapters/db/repositories/comments.js';
import type { UsersRepository } from '../../adapters/db/repositories/users.js';
import type { PasswordHasher } from '../../adapters/crypto/passwords.js';
import type { NewArticleRow, NewUserRow } from '../../adapters/db/schema.js';
import type { ArticleStatus, CommentStatus } from '../../domain/article-status.js';
import { ROLES, type Role } from '../../domain/roles.js';
import { nextFreeSlug, slugify } from '../../domain/slug.js';
import type { RenderMarkdown } from '../content/markdown.js';
import { renderBody } from '../articles.js';
import type { TagService } from '../tags.js';
import { DEMO_TAGS, FIRST_NAMES, LAST_NAMES, demoArticle, demoComment, pick, seededRandom } from './demo-content.js';

export interface SeedRepositories {
  users: UsersRepository;
  articles: ArticlesRepository;
  comments: CommentsRepository;
}

export interface SeedDeps {
  /** Runs `fn` in one database transaction, with repositories bound to it. */
  inTransaction<T>(fn: (repos: SeedRepositories) => Promise<T>): Promise<T>;
  tags: TagService;
  existingSlugs(): Promise<string[]>;
  render: RenderMarkdown;
  hasher: PasswordHasher;
  randomPassword(): string;
  now: () => Date;
}

export interface SeedOptions {
  articles: number;
  users: number;
  batchSize?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedSummary {
  users: Record<Role, number>;
  articles: Record<ArticleStatus, number>;
  chineseArticles: number;
  comments: Record<Exclude<CommentStatus, 'spam'>, number>;
  tags: number;
  /** The password every demo user signs in with (demo content only). */
  password: string;
  ms: number;
}

const DAY = 86_400_000;

/**
 * Demo content: users of every role, articles in English and Chinese (about a third Chinese) rendered through the
 * same markdown pipeline as real ones, tags, comments, and a mix of published, draft and scheduled. Rows go in
 * batches, each batch in one transaction: that is what makes 10,000 articles take seconds, not minutes.
 */
export async function seedDemoContent(deps: SeedDeps, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const r = seededRandom(options.seed ?? Date.now());
  const now = deps.now();
  const batchSize = options.batchSize ?? 500;
  // Not from the seeded generator: the same --seed twice must still give new, unique emails.
  const run = deps
    .randomPassword()
    .replace(/[^a-z0-9]/gi, '')
    .slice(0, 6)
    .toLowerCase();
  const password = deps.randomPassword();
  const passwordHash = await deps.hasher.hash(password);

  const userRows: NewUserRow[] = [];
  const userCount = Math.max(options.users, ROLES.length);
  for (let i = 0; i < userCount; i++) {
    const role = i < ROLES.length ? ROLES[i]! : pick(r, ['author', 'author', 'editor'] as const);
    const first = pick(r, FIRST_NAMES);
    const last = pick(r, LAST_NAMES);
    userRows.push({
      email: `${first}.${last}.${run}${i}@example.com`.toLowerCase(),
      name: `${first} ${last}`,
      role,
      password_hash: passwordHash,
      bio: `${role[0]!.toUpperCase()}${role.slice(1)} of the demo blog.`,
      created_at: now,
      updated_at: now,
    });
  }
  const users = await deps.inTransaction(async (repos) => {
    await repos.users.insertMany(userRows);
    const emails = new Set(userRows.map((u) => u.email));
    const all = await repos.users.list();
    return all.filter((u) => emails.has(u.email));
  });

  const tagIds = await deps.tags.resolve(DEMO_TAGS);
  const taken = new Set(await deps.existingSlugs());
  const summary: SeedSummary = {
    users: { admin: 0, editor: 0, author: 0 },
    articles: { draft: 0, scheduled: 0, published: 0 },
    chineseArticles: 0,
    comments: { approved: 0, pending: 0 },
    tags: tagIds.length,
    password,
    ms: 0,
  };
  for (const u of users) summary.users[u.role]++;
  const tagIdBySlug = new Map(DEMO_TAGS.map((name, i) => [slugify(name, 60), tagIds[i]!]));
  const tagsBySlug = (names: string[]) => names.map((n) => tagIdBySlug.get(slugify(n, 60))!);

  let done = 0;
  options.onProgress?.(0, options.articles);
  while (done < options.articles) {
    const size = Math.min(batchSize, options.articles - done);
    const rows: NewArticleRow[] = [];
    const tagsOf = new Map<string, number[]>();
    for (let i = 0; i < size; i++) {
      const chinese = r() < 0.35;
      const content = demoArticle(r, chinese);
      const slug = nextFreeSlug(slugify(content.title), taken);
      taken.add(slug);
      const roll = r();
      const status: ArticleStatus = roll < 0.8 ? 'published' : roll < 0.9 ? 'draft' : 'scheduled';
      const publishedAt =
        status === 'published'
          ? new Date(now.getTime() - Math.floor(r() * 730 * DAY))
          : status === 'scheduled'
            ? new Date(now.getTime() + Math.ceil(r() * 30 * DAY))
            : null;
      const createdAt = new Date((publishedAt ?? now).getTime() - Math.floor(r() * 7 * DAY));
      rows.push({
        author_id: pick(r, users).id,
        title: content.title,
        slug,
        markdown: content.markdown,
        ...renderBody(deps.render, content.markdown),
        status,
        published_at: publishedAt,
        cover_media_id: null,
        created_at: createdAt,
        updated_at: createdAt,
      });
      tagsOf.set(slug, tagsBySlug(content.tags));
      summary.articles[status]++;
      if (chinese) summary.chineseArticles++;
    }
    await deps.inTransaction(async (repos) => {
      const ids = await repos.articles.insertMany(rows);
      const pairs: Array<{ article_id: number; tag_id: number }> = [];
      for (const [slug, tags] of tagsOf) {
        for (const tag_id of new Set(tags)) pairs.push({ article_id: ids.get(slug)!, tag_id });
      }
      await repos.articles.linkTags(pairs);
      const comments = [];
      for (const row of rows) {
        if (row.status !== 'published') continue;
        for (let c = Math.floor(r() * 4); c > 0; c--) {
          const status: CommentStatus = r() < 0.7 ? 'approved' : 'pending';
          summary.comments[status]++;
          const body = demoComment(r);
          comments.push({
            article_id: ids.get(row.slug)!,
            author_name: body.name,
            author_email: body.email,
            body: body.body,
            status,
            ip: null,
            user_agent: null,
            created_at: new Date((row.published_at as Date).getTime() + Math.floor(r() * 3 * DAY)),
          });
        }
      }
      for (let i = 0; i < comments.length; i += 500) await repos.comments.insertMany(comments.slice(i, i + 500));
    });
    done += size;
    options.onProgress?.(done, options.articles);
  }
  summary.ms = Math.round(performance.now() - started);
  return summary;
}
