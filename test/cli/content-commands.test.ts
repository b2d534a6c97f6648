import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../support/databases.js';
import { runInkstone } from '../support/cli.js';
import { testConfig } from '../support/config.js';
import { createDatabase, type Database } from '../../src/adapters/db/database.js';
import { createArgon2Hasher } from '../../src/adapters/crypto/passwords.js';

describe('user:create usage errors (no database needed)', () => {
  it.each([
    [['--email', 'not-an-email', '--role', 'admin'], /not a valid email/],
    [['--email', 'a@example.com', '--role', 'root'], /--role must be one of admin, editor, author/],
  ])('%j -> one line, exit 2', async (args, message) => {
    const run = await runInkstone(['user:create', ...args], {
      env: { DATABASE_URL: 'sqlite:/nonexistent/dir/x.sqlite' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help describes the options', async () => {
    const run = await runInkstone(['user:create', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--password-stdin');
  });
});

describeEachDialect('user:create and db:seed', (dialect) => {
  let testDb: TestDatabase;
  let db: Database;
  const env = () => ({ DATABASE_URL: testDb.url });

  beforeAll(async () => {
    testDb = await createTestDatabase(dialect);
    expect((await runInkstone(['migrate'], { env: env() })).code).toBe(0);
    db = await createDatabase(testConfig(env()));
  });
  afterAll(async () => {
    await db?.destroy();
    await testDb?.drop();
  });

  it('creates a user with a generated password, printed once, stored as argon2id', async () => {
    const run = await runInkstone(['user:create', '--email', 'Ada@Example.com', '--role', 'admin', '--json'], {
      env: env(),
    });
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { id: number; email: string; role: string; name: string; password: string };
    expect(out).toMatchObject({ email: 'ada@example.com', role: 'admin', name: 'ada' });
    expect(out.password.length).toBeGreaterThanOrEqual(20);
    const row = await db.primary.selectFrom('users').selectAll().where('id', '=', out.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(out.password);
    expect(await createArgon2Hasher().verify(row.password_hash, out.password)).toBe(true);
  });

  it('reads the password from stdin with --password-stdin', async () => {
    const run = await runInkstone(
      ['user:create', '--email', 'ed@example.com', '--role', 'editor', '--name', '编辑 Ed', '--password-stdin'],
      { env: env(), stdin: 'correct horse battery staple\n' },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Created editor ed@example.com');
    expect(run.stdout).not.toContain('Password');
    const row = await db.primary
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'ed@example.com')
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('编辑 Ed');
    expect(await createArgon2Hasher().verify(row.password_hash, 'correct horse battery staple')).toBe(true);
  });

  it('a duplicate email fails with exit 1 and one line', async () => {
    const run = await runInkstone(['user:create', '--email', 'ADA@example.com', '--role', 'author'], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('inkstone: a user with email ada@example.com already exists');
  });

  it('a too-short stdin password is bad usage (exit 2)', async () => {
    const run = await runInkstone(
      ['user:create', '--email', 'short@example.com', '--role', 'author', '--password-stdin'],
      {
        env: env(),
        stdin: 'short',
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/password must be/);
  });

  it('db:seed writes users of each role, English and Chinese articles with sanitized HTML, tags and comments', async () => {
    const run = await runInkstone(['db:seed', '--articles', '120', '--users', '5', '--seed', '7', '--json'], {
      env: env(),
    });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      users: Record<string, number>;
      articles: Record<string, number>;
      chineseArticles: number;
      comments: Record<string, number>;
    };
    expect(summary.users.admin).toBe(1);
    expect(summary.users.editor! + summary.users.author!).toBe(4);
    expect(summary.articles.published! + summary.articles.draft! + summary.articles.scheduled!).toBe(120);
    for (const s of ['published', 'draft', 'scheduled']) expect(summary.articles[s]).toBeGreaterThan(0);
    expect(summary.chineseArticles).toBeGreaterThan(10);
    expect(summary.comments.approved).toBeGreaterThan(0);
    expect(summary.comments.pending).toBeGreaterThan(0);

    const articles = await db.primary.selectFrom('articles').selectAll().execute();
    expect(articles).toHaveLength(120);
    expect(new Set(articles.map((a) => a.slug)).size).toBe(120);
    expect(articles.some((a) => /\p{Script=Han}/u.test(a.slug))).toBe(true);
    for (const a of articles) {
      expect(a.html).toMatch(/^<h2>/);
      expect(a.html).not.toMatch(/<script/i);
      expect(a.excerpt.length).toBeGreaterThan(10);
      if (a.status === 'scheduled') expect(a.published_at!.getTime()).toBeGreaterThan(Date.now());
      if (a.status === 'draft') expect(a.published_at).toBeNull();
    }
    const links = await db.primary
      .selectFrom('article_tags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(links.n)).toBeGreaterThanOrEqual(120);
    const comments = await db.primary.selectFrom('comments').select(['status']).execute();
    expect(comments.length).toBe(summary.comments.approved! + summary.comments.pending!);
  });

  it('db:seed a second time adds more without slug or email clashes', async () => {
    const run = await runInkstone(['db:seed', '--articles', '30', '--seed', '7'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Seeded 30 articles/);
    expect(run.stderr).toBe(''); // not a TTY: no progress bar
    const count = await db.primary
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(150);
  });
});
