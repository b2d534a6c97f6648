import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../../config/index.js';
import { longTextType } from '../column-types.js';
import { searchText } from '../../../domain/search-text.js';
import type { Migration } from './migration.js';

const BATCH = 200;

/**
 * Search inside Chinese, Japanese and Korean text: the indexes move from title/markdown to derived columns where
 * every CJK run is split into bigrams (see domain/search-text.ts), on all three engines. The columns are nullable
 * so rows written outside the repository (raw seeding) still insert; the repository fills them on every write.
 */
export const addCjkArticleSearch: Migration = {
  name: '0011_add_cjk_article_search',
  async up(db, dialect) {
    await db.schema.alterTable('articles').addColumn('search_title', longTextType(dialect)).execute();
    await db.schema.alterTable('articles').addColumn('search_body', longTextType(dialect)).execute();
    // Filled before the new indexes exist, so each is built once rather than updated row by row.
    await backfill(db, dialect);
    switch (dialect) {
      case 'sqlite':
        await dropSqliteFts(db);
        await createSqliteFts(db, 'search_title', 'search_body');
        break;
      case 'mysql':
        await sql`alter table articles drop index articles_title_fulltext, drop index articles_fulltext`.execute(db);
        await sql`alter table articles add fulltext index articles_search_fulltext (search_title, search_body)`.execute(
          db,
        );
        await sql`alter table articles add fulltext index articles_search_title_fulltext (search_title)`.execute(db);
        break;
      case 'postgres':
        await sql`drop index if exists articles_search_index`.execute(db);
        await sql`alter table articles drop column search`.execute(db);
        await addPostgresSearch(db, 'search_title', 'search_body');
        break;
    }
  },
  async down(db, dialect) {
    switch (dialect) {
      case 'sqlite':
        await dropSqliteFts(db);
        await createSqliteFts(db, 'title', 'markdown');
        break;
      case 'mysql':
        await sql`alter table articles drop index articles_search_title_fulltext, drop index articles_search_fulltext`.execute(
          db,
        );
        await sql`alter table articles add fulltext index articles_fulltext (title, markdown)`.execute(db);
        await sql`alter table articles add fulltext index articles_title_fulltext (title)`.execute(db);
        break;
      case 'postgres':
        await sql`drop index if exists articles_search_index`.execute(db);
        await sql`alter table articles drop column search`.execute(db);
        await addPostgresSearch(db, 'title', 'markdown');
        break;
    }
    await db.schema.alterTable('articles').dropColumn('search_body').execute();
    await db.schema.alterTable('articles').dropColumn('search_title').execute();
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Derives the search columns of every existing article, a batch of ids at a time. */
async function backfill(db: AnyDb, dialect: Dialect): Promise<void> {
  const options = { padForInnoDb: dialect === 'mysql' };
  let after = 0;
  for (;;) {
    const rows: Array<{ id: number | string; title: string; markdown: string }> = await db
      .selectFrom('articles')
      .select(['id', 'title', 'markdown'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const fill = async (trx: AnyDb) => {
      for (const row of rows) {
        await trx
          .updateTable('articles')
          .set({ search_title: searchText(row.title, options), search_body: searchText(row.markdown, options) })
          .where('id', '=', row.id)
          .execute();
      }
    };
    // One commit per batch, not per row. PostgreSQL and SQLite already run the whole migration in a transaction;
    // MySQL's DDL cannot, so it gets one here (10,000 articles, each row its own commit: 60 s).
    if (rows.length > 0) await (db.isTransaction ? fill(db) : db.transaction().execute(fill));
    if (rows.length < BATCH) return;
    after = Number(rows.at(-1)!.id);
  }
}

/** An external-content FTS5 index over two columns of articles, kept in step by triggers (as 0006 did). */
async function createSqliteFts(db: AnyDb, title: string, body: string): Promise<void> {
  const t = sql.raw(title);
  const b = sql.raw(body);
  await sql`create virtual table articles_fts using fts5(${t}, ${b}, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(
    db,
  );
  await sql`create trigger articles_fts_insert after insert on articles begin
    insert into articles_fts(rowid, ${t}, ${b}) values (new.id, new.${t}, new.${b}); end`.execute(db);
  await sql`create trigger articles_fts_delete after delete on articles begin
    insert into articles_fts(articles_fts, rowid, ${t}, ${b}) values ('delete', old.id, old.${t}, old.${b}); end`.execute(
    db,
  );
  await sql`create trigger articles_fts_update after update of ${t}, ${b} on articles begin
    insert into articles_fts(articles_fts, rowid, ${t}, ${b}) values ('delete', old.id, old.${t}, old.${b});
    insert into articles_fts(rowid, ${t}, ${b}) values (new.id, new.${t}, new.${b}); end`.execute(db);
  await sql`insert into articles_fts(articles_fts) values ('rebuild')`.execute(db);
}

async function dropSqliteFts(db: AnyDb): Promise<void> {
  await sql`drop trigger if exists articles_fts_update`.execute(db);
  await sql`drop trigger if exists articles_fts_delete`.execute(db);
  await sql`drop trigger if exists articles_fts_insert`.execute(db);
  await sql`drop table if exists articles_fts`.execute(db);
}

/** The weighted tsvector column (title A, body B) and its GIN index, over the given columns. */
async function addPostgresSearch(db: AnyDb, title: string, body: string): Promise<void> {
  const t = sql.ref(title);
  const b = sql.ref(body);
  await sql`alter table articles add column search tsvector generated always as (
    setweight(to_tsvector('simple', coalesce(${t}, '')), 'A') || setweight(to_tsvector('simple', coalesce(${b}, '')), 'B')) stored`.execute(
    db,
  );
  await sql`create index articles_search_index on articles using gin (search)`.execute(db);
}
