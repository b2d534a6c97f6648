import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { describeEachDialect } from '../../support/databases.js';
import { useSuiteDatabase } from '../../support/suite-database.js';
import { articleRow, insertAuthors } from '../../support/blog-data.js';
import { startPrivateMariadb, type PrivateMariadb } from '../../support/private-mariadb.js';
import { testConfig } from '../../support/config.js';
import { createDatabase, type Database } from '../../../src/adapters/db/database.js';
import { Migrator } from '../../../src/adapters/db/migrator.js';
import { migrations } from '../../../src/adapters/db/migrations/index.js';
import { createArticlesRepository } from '../../../src/adapters/db/repositories/articles.js';
import type { DB } from '../../../src/adapters/db/schema.js';
import type { ArticleStatus } from '../../../src/domain/article-status.js';
import type { Dialect } from '../../../src/config/index.js';

const NAME = '0013_add_article_tags_live_at';
const AT = migrations.findIndex((m) => m.name === NAME);
const MOVE = '0014_keep_live_at_on_moved_tags';
const now = new Date('2026-11-20T10:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);

/** live_at by article and tag, as epoch ms (or null). */
async function liveAts(db: Kysely<DB>): Promise<Map<string, number | null>> {
  const rows = await db.selectFrom('article_tags').select(['article_id', 'tag_id', 'live_at']).execute();
  return new Map(rows.map((r) => [`${r.article_id}/${r.tag_id}`, r.live_at === null ? null : r.live_at.getTime()]));
}

/** What live_at must be for every article_tags row: the rule, worked out from the articles themselves. */
async function expectedLiveAts(db: Kysely<DB>): Promise<Map<string, number | null>> {
  const rows = await db
    .selectFrom('article_tags')
    .innerJoin('articles', 'articles.id', 'article_tags.article_id')
    .select(['article_tags.article_id', 'article_tags.tag_id', 'articles.status', 'articles.published_at'])
    .execute();
  return new Map(
    rows.map((r) => [
      `${r.article_id}/${r.tag_id}`,
      r.status !== 'draft' && r.published_at !== null ? r.published_at.getTime() : null,
    ]),
  );
}

async function insertTags(db: Kysely<DB>, slugs: string[]): Promise<void> {
  await db
    .insertInto('tags')
    .values(slugs.map((s) => ({ name: s, slug: s, created_at: now })))
    .execute();
}

function article(i: number, status: ArticleStatus, published: Date | null) {
  return articleRow(now, { title: `Article ${i}`, slug: `article-${i}`, status, published_at: published });
}

describeEachDialect(`${NAME}: migration`, (dialect: Dialect) => {
  const suite = useSuiteDatabase(dialect);

  it('backfills live_at from each article, indexes it, and down removes column, index and triggers', async () => {
    const db = suite.db.primary;
    expect(AT).toBeGreaterThan(0);
    const through = migrations.slice(0, AT + 1);
    await suite.migrator(migrations.slice(0, AT)).migrate();
    await insertAuthors(db, 1, now);
    await insertTags(db, ['a', 'b']);
    const statuses: ArticleStatus[] = ['published', 'draft', 'scheduled', 'published'];
    for (let i = 1; i <= 12; i++) {
      const status = statuses[i % 4]!;
      // A draft with a date (unpublished after publishing) must still read as not live.
      await db
        .insertInto('articles')
        .values(article(i, status, i === 5 ? null : hours(i * 5 - 30)))
        .execute();
    }
    await db
      .insertInto('article_tags')
      .values(Array.from({ length: 12 }, (_, n) => ({ article_id: n + 1, tag_id: (n % 2) + 1 })))
      .execute();
    await db.insertInto('article_tags').values({ article_id: 3, tag_id: 2 }).execute();

    expect((await suite.migrator(through).migrate()).applied).toEqual([NAME]);
    const expected = await expectedLiveAts(db);
    expect([...expected.values()].filter((v) => v !== null).length).toBeGreaterThan(4);
    expect([...expected.values()].filter((v) => v === null).length).toBeGreaterThan(2);
    expect(await liveAts(db)).toEqual(expected);
    expect(await indexNames(db, dialect)).toContain('article_tags_tag_live_index');
    const triggers = ['article_tags_live_at_insert', 'articles_live_at_update'];
    const functions = dialect === 'postgres' ? ['article_tags_live_at', 'articles_live_at'] : [];
    expect(await triggerNames(db, dialect)).toEqual([...triggers, ...functions].sort());

    expect((await suite.migrator(through).rollback(1)).rolledBack).toEqual([NAME]);
    expect(await indexNames(db, dialect)).not.toContain('article_tags_tag_live_index');
    expect(await triggerNames(db, dialect)).toEqual([]);
    const columns = (await db.introspection.getTables()).find((t) => t.name === 'article_tags')!.columns;
    expect(columns.map((c) => c.name).sort()).toEqual(['article_id', 'tag_id']);
    // Without the column, writes that the triggers would have caught still go through.
    await db.updateTable('articles').set({ status: 'draft' }).where('id', '=', 1).execute();
    await db.insertInto('article_tags').values({ article_id: 4, tag_id: 1 }).execute();

    expect((await suite.migrator(through).migrate()).applied).toEqual([NAME]);
    expect(await liveAts(db)).toEqual(await expectedLiveAts(db));
  });
});

describeEachDialect(`${MOVE}: migration`, (dialect: Dialect) => {
  const suite = useSuiteDatabase(dialect);

  it('repairs rows moved before it, adds the trigger, and down removes it', async () => {
    const db = suite.db.primary;
    const at = migrations.findIndex((m) => m.name === MOVE);
    expect(at).toBe(AT + 1);
    await suite.migrator(migrations.slice(0, at)).migrate();
    await insertAuthors(db, 1, now);
    await insertTags(db, ['a']);
    await db
      .insertInto('articles')
      .values([article(1, 'published', hours(-3)), article(2, 'draft', null)])
      .execute();
    await db.insertInto('article_tags').values({ article_id: 1, tag_id: 1 }).execute();
    // Without 0014 a moved row keeps the date of the article it came from.
    await sql`update article_tags set article_id = 2 where article_id = 1`.execute(db);
    expect((await liveAts(db)).get('2/1')).toBe(hours(-3).getTime());

    expect((await suite.migrator(migrations.slice(0, at + 1)).migrate()).applied).toEqual([MOVE]);
    expect((await liveAts(db)).get('2/1')).toBeNull();
    expect(await triggerNames(db, dialect)).toContain('article_tags_live_at_move');

    expect((await suite.migrator(migrations.slice(0, at + 1)).rollback(1)).rolledBack).toEqual([MOVE]);
    expect(await triggerNames(db, dialect)).not.toContain('article_tags_live_at_move');
    // 0013's triggers stay.
    expect(await triggerNames(db, dialect)).toContain('article_tags_live_at_insert');
  });
});

describeEachDialect(`${NAME}: triggers`, (dialect: Dialect) => {
  const suite = useSuiteDatabase(dialect, { migrate: true });

  it('live_at follows publishing, scheduling, unpublishing, date changes, tag changes and deletes', async () => {
    const db = suite.db.primary;
    const repo = createArticlesRepository(suite.db);
    await insertAuthors(db, 1, now);
    await insertTags(db, ['a', 'b', 'c']);
    const tag = Object.fromEntries(
      (await db.selectFrom('tags').select(['id', 'slug']).execute()).map((t) => [t.slug, Number(t.id)]),
    );
    const check = async (note: string) => expect(await liveAts(db), note).toEqual(await expectedLiveAts(db));
    const liveAtOf = async (id: number) => [...(await liveAts(db)).entries()].filter(([k]) => k.startsWith(`${id}/`));

    const draft = await repo.insert(article(1, 'draft', null), [tag.a!, tag.b!]);
    const other = await repo.insert(article(2, 'published', hours(-5)), [tag.a!]);
    expect(await liveAtOf(draft)).toEqual([
      [`${draft}/${tag.a}`, null],
      [`${draft}/${tag.b}`, null],
    ]);
    expect(await liveAtOf(other)).toEqual([[`${other}/${tag.a}`, hours(-5).getTime()]]);

    await repo.update(draft, { status: 'published', published_at: hours(-1) });
    expect(new Set((await liveAtOf(draft)).map(([, v]) => v))).toEqual(new Set([hours(-1).getTime()]));
    await check('published');

    await repo.update(draft, { status: 'scheduled', published_at: hours(3) });
    expect(new Set((await liveAtOf(draft)).map(([, v]) => v))).toEqual(new Set([hours(3).getTime()]));
    await check('scheduled');

    await repo.update(draft, { published_at: hours(2) });
    expect(new Set((await liveAtOf(draft)).map(([, v]) => v))).toEqual(new Set([hours(2).getTime()]));
    await check('date changed');

    // Other columns alone leave live_at as it is.
    await repo.update(draft, { title: 'Retitled', updated_at: hours(1) });
    expect(new Set((await liveAtOf(draft)).map(([, v]) => v))).toEqual(new Set([hours(2).getTime()]));

    await repo.update(draft, { status: 'draft' });
    expect(new Set((await liveAtOf(draft)).map(([, v]) => v))).toEqual(new Set([null]));
    await check('unpublished');

    await repo.update(draft, { status: 'published', published_at: hours(-2) }, [tag.b!, tag.c!]);
    expect(await liveAtOf(draft)).toEqual([
      [`${draft}/${tag.b}`, hours(-2).getTime()],
      [`${draft}/${tag.c}`, hours(-2).getTime()],
    ]);
    await check('tags replaced');

    await repo.update(other, { title: 'Other' }, []);
    expect(await liveAtOf(other)).toEqual([]);
    await repo.linkTags([{ article_id: other, tag_id: tag.c! }]);
    expect(await liveAtOf(other)).toEqual([[`${other}/${tag.c}`, hours(-5).getTime()]]);
    // Raw SQL, as a seed or a hand fix would write it.
    await sql`update articles set status = 'draft' where id = ${other}`.execute(db);
    expect(await liveAtOf(other)).toEqual([[`${other}/${tag.c}`, null]]);
    await check('raw SQL');

    expect(await repo.delete(draft)).toBe(true);
    expect(await liveAtOf(draft)).toEqual([]);
    await check('deleted');
  });

  it("a row moved to another article takes that article's live date (0014)", async () => {
    const db = suite.db.primary;
    const repo = createArticlesRepository(suite.db);
    await insertTags(db, ['moved']);
    const tagId = Number(
      (await db.selectFrom('tags').select('id').where('slug', '=', 'moved').executeTakeFirstOrThrow()).id,
    );
    const live = await repo.insert(article(20, 'published', hours(-4)), [tagId]);
    const draft = await repo.insert(article(21, 'draft', null), []);
    const tagged = async () =>
      (await repo.list({ kind: 'live', now }, { page: 1, limit: 10, tagSlug: 'moved' })).items.map((a) => a.id);
    expect(await tagged()).toEqual([live]);

    // A hand fix moving the row onto the draft: the draft must not show on the tag's public pages.
    await sql`update article_tags set article_id = ${draft} where article_id = ${live}`.execute(db);
    expect((await liveAts(db)).get(`${draft}/${tagId}`)).toBeNull();
    expect(await tagged()).toEqual([]);
    await sql`update article_tags set article_id = ${live} where article_id = ${draft}`.execute(db);
    expect((await liveAts(db)).get(`${live}/${tagId}`)).toBe(hours(-4).getTime());
    expect(await tagged()).toEqual([live]);
    // Changing other columns of the row (its tag) keeps the date.
    await insertTags(db, ['moved-2']);
    await sql`update article_tags set tag_id = (select id from tags where slug = 'moved-2') where article_id = ${live}`.execute(
      db,
    );
    expect(await liveAts(db)).toEqual(await expectedLiveAts(db));
  });

  it('a scheduled article enters its tag list at its time, with no write in between', async () => {
    const repo = createArticlesRepository(suite.db);
    const c = await suite.db.primary.selectFrom('tags').select('id').where('slug', '=', 'c').executeTakeFirstOrThrow();
    const id = await repo.insert(article(10, 'scheduled', hours(6)), [Number(c.id)]);
    const list = (at: Date) => repo.list({ kind: 'live', now: at }, { page: 1, limit: 10, tagSlug: 'c' });
    const before = await list(hours(5));
    expect(before.items.map((a) => a.id)).not.toContain(id);
    const due = await list(hours(6));
    expect(due.items.map((a) => a.id)[0]).toBe(id);
    expect(due.total).toBe(before.total + 1);
  });
});

describe(`${NAME}: MariaDB with binary logging and an app user without SUPER`, () => {
  let server: PrivateMariadb;
  let db: Database;
  const root = (statement: string) => execFileSync('mariadb', [`--socket=${server.socket}`, '-uroot', '-e', statement]);

  beforeAll(async () => {
    server = await startPrivateMariadb();
    root(
      "create database app; create user 'app'@'127.0.0.1' identified by 'pw'; grant all on app.* to 'app'@'127.0.0.1'",
    );
    const url = new URL(server.urlFor('app'));
    url.username = 'app';
    url.password = 'pw';
    db = await createDatabase(testConfig({ DATABASE_URL: url.toString() }));
  });

  afterAll(async () => {
    await db?.destroy();
    await server?.stop();
  });

  it('stops before changing anything, says how to allow triggers, and then applies', async () => {
    const migrator = () =>
      new Migrator({ db: db.primary, dialect: 'mysql', databaseName: 'app', migrations, lockTimeoutMs: 5000 });
    await expect(migrator().migrate()).rejects.toThrow(/log_bin_trust_function_creators = 1/);
    const columns = (await db.primary.introspection.getTables()).find((t) => t.name === 'article_tags')!.columns;
    expect(columns.map((c) => c.name).sort()).toEqual(['article_id', 'tag_id']);
    expect(await triggerNames(db.primary, 'mysql')).toEqual([]);

    root('set global log_bin_trust_function_creators = 1');
    // 0013 and everything after it (0014's trigger too).
    const pending = migrations.slice(migrations.findIndex((m) => m.name === NAME)).map((m) => m.name);
    expect(pending.slice(0, 2)).toEqual([NAME, MOVE]);
    expect((await migrator().migrate()).applied).toEqual(pending);
    expect(await triggerNames(db.primary, 'mysql')).toEqual([
      'article_tags_live_at_insert',
      'article_tags_live_at_move',
      'articles_live_at_update',
    ]);
  });
});

async function indexNames(db: Kysely<DB>, dialect: Dialect): Promise<string[]> {
  const query =
    dialect === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'article_tags'`
      : dialect === 'postgres'
        ? sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'article_tags'`
        : sql<{ name: string }>`select distinct index_name as name from information_schema.statistics
            where table_schema = database() and table_name = 'article_tags'`;
  return (await query.execute(db)).rows.map((r) => r.name);
}

/** The triggers on articles and article_tags, and on PostgreSQL the functions they run. */
async function triggerNames(db: Kysely<DB>, dialect: Dialect): Promise<string[]> {
  const query =
    dialect === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'trigger'
          and tbl_name in ('articles', 'article_tags') and name not like 'articles_fts%'`
      : dialect === 'postgres'
        ? sql<{ name: string }>`select t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
            where c.relname in ('articles', 'article_tags') and not t.tgisinternal
            union all select proname from pg_proc where proname in ('articles_live_at', 'article_tags_live_at')`
        : sql<{ name: string }>`select trigger_name as name from information_schema.triggers
            where trigger_schema = database()`;
  return (await query.execute(db)).rows.map((r) => r.name).sort();
}
