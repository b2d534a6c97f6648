import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Full-text search over article titles and bodies, in each engine's own way: an FTS5 index kept in step by
 * triggers (SQLite), a FULLTEXT index (MySQL/MariaDB), a weighted tsvector column with a GIN index (PostgreSQL).
 * The 'simple' / unicode61 tokenizers do not stem, so every language is searched the same way (CJK by whole run).
 */
export const addArticleSearch: Migration = {
  name: '0006_add_article_search',
  async up(db, dialect) {
    switch (dialect) {
      case 'sqlite':
        await sql`create virtual table articles_fts using fts5(title, markdown, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`.execute(
          db,
        );
        await sql`create trigger articles_fts_insert after insert on articles begin
          insert into articles_fts(rowid, title, markdown) values (new.id, new.title, new.markdown); end`.execute(db);
        await sql`create trigger articles_fts_delete after delete on articles begin
          insert into articles_fts(articles_fts, rowid, title, markdown) values ('delete', old.id, old.title, old.markdown); end`.execute(
          db,
        );
        await sql`create trigger articles_fts_update after update of title, markdown on articles begin
          insert into articles_fts(articles_fts, rowid, title, markdown) values ('delete', old.id, old.title, old.markdown);
          insert into articles_fts(rowid, title, markdown) values (new.id, new.title, new.markdown); end`.execute(db);
        await sql`insert into articles_fts(articles_fts) values ('rebuild')`.execute(db);
        break;
      case 'mysql':
        await sql`alter table articles add fulltext index articles_fulltext (title, markdown)`.execute(db);
        // MATCH needs an index on exactly its columns: this one lets title hits weigh more in the ranking.
        await sql`alter table articles add fulltext index articles_title_fulltext (title)`.execute(db);
        break;
      case 'postgres':
        await sql`alter table articles add column search tsvector generated always as (
          setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', markdown), 'B')) stored`.execute(
          db,
        );
        await sql`create index articles_search_index on articles using gin (search)`.execute(db);
        break;
    }
  },
  async down(db, dialect) {
    switch (dialect) {
      case 'sqlite':
        await sql`drop trigger if exists articles_fts_update`.execute(db);
        await sql`drop trigger if exists articles_fts_delete`.execute(db);
        await sql`drop trigger if exists articles_fts_insert`.execute(db);
        await sql`drop table if exists articles_fts`.execute(db);
        break;
      case 'mysql':
        await sql`alter table articles drop index articles_title_fulltext`.execute(db);
        await sql`alter table articles drop index articles_fulltext`.execute(db);
        break;
      case 'postgres':
        await sql`drop index if exists articles_search_index`.execute(db);
        await sql`alter table articles drop column search`.execute(db);
        break;
    }
  },
};
