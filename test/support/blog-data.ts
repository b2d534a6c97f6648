import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { openKysely } from '../../src/adapters/db/database.js';
import { parseDatabaseUrl } from '../../src/config/index.js';
import type { DB, NewArticleRow } from '../../src/adapters/db/schema.js';

/** A connection of the test's own to the database at `url` (closed by the caller). */
export async function connect(url: string): Promise<{ db: Kysely<DB>; close: () => Promise<void> }> {
  return openKysely(parseDatabaseUrl('DATABASE_URL', url, process.cwd()), 2);
}

/** `count` authors, u1@example.com (id 1) onwards, named `User <n>`. */
export async function insertAuthors(db: Kysely<DB>, count: number, now: Date): Promise<void> {
  await db
    .insertInto('users')
    .values(
      Array.from({ length: count }, (_, n) => n + 1).map((i) => ({
        email: `u${i}@example.com`,
        name: `User ${i}`,
        role: 'author' as const,
        password_hash: 'x',
        bio: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}

/** An article row for tests: `fields` and a slug, filler for the rest (author 1, published at `now`). */
export function articleRow(now: Date, fields: Partial<NewArticleRow> & { slug: string }): NewArticleRow {
  return {
    author_id: 1,
    title: fields.slug,
    markdown: 'x',
    html: 'x',
    excerpt: 'x',
    status: 'published',
    published_at: now,
    cover_media_id: null,
    reading_minutes: 1,
    created_at: now,
    updated_at: now,
    ...fields,
  };
}

/** Users, articles, tags and comments: enough rows in enough tables that a lost or extra row shows. */
export async function seedBlog(db: Kysely<DB>, articles = 40): Promise<void> {
  const now = new Date('2026-11-20T10:00:00Z');
  await insertAuthors(db, 3, now);
  await db
    .insertInto('tags')
    .values(['ops', 'db', 'ts'].map((t) => ({ name: t, slug: t, created_at: now })))
    .execute();
  for (let i = 1; i <= articles; i++) {
    await db
      .insertInto('articles')
      .values({
        author_id: (i % 3) + 1,
        title: `Article ${i} — ünïcode ✓`,
        slug: `article-${i}`,
        markdown: `# ${i}\n\n${'text '.repeat(i)}`,
        html: `<h1>${i}</h1>`,
        excerpt: `excerpt ${i}`,
        status: 'published',
        published_at: now,
        cover_media_id: null,
        reading_minutes: i % 7,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
  await db
    .insertInto('article_tags')
    .values([1, 2, 3, 4, 5, 6].map((i) => ({ article_id: i, tag_id: (i % 3) + 1 })))
    .execute();
  await db
    .insertInto('comments')
    .values(
      [1, 2, 3, 4].map((i) => ({
        article_id: i,
        author_name: `c${i}`,
        author_email: `c${i}@example.com`,
        body: `comment "${i}" it's`,
        status: 'approved' as const,
        ip: null,
        user_agent: null,
        created_at: now,
      })),
    )
    .execute();
}

/** One hash per table of its rows in primary-key order: equal hashes mean equal contents. */
export async function tableHashes(db: Kysely<DB>): Promise<Record<string, string>> {
  const tables = (await db.introspection.getTables())
    .filter((t) => !t.isView)
    .map((t) => t.name)
    .sort();
  const out: Record<string, string> = {};
  for (const t of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(db);
    const lines = rows.map((r) =>
      JSON.stringify(
        Object.keys(r)
          .sort()
          .map((k) => normalise(r[k])),
      ),
    );
    lines.sort();
    out[t] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}

function normalise(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return v;
}

/** Damage after a backup: edit rows, delete rows, drop a table, add a table. */
export async function vandalise(db: Kysely<DB>): Promise<void> {
  await db.updateTable('articles').set({ title: 'changed' }).where('id', '<=', 5).execute();
  await db.deleteFrom('comments').execute();
  await db.deleteFrom('article_tags').execute();
  await db.deleteFrom('articles').where('id', '>', 30).execute();
  await db.schema.dropTable('article_tags').execute();
  await db.schema
    .createTable('intruder')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .execute();
}
