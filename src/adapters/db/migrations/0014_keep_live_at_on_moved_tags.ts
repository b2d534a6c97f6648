import { sql } from 'kysely';
import type { Dialect } from '../../../config/index.js';
import type { Migration } from './migration.js';
import { checkTriggersAllowed } from './trigger-privilege.js';

/**
 * article_tags.live_at (migration 0013) is its article's live date, kept by triggers on inserting a row and on an
 * article's status or date changing. A row moved to another article (`update article_tags set article_id = …`, a hand
 * fix merging two articles) kept the old article's date: moved onto a draft, the draft was listed on the tag's public
 * pages and feed. The app never moves rows (it deletes and inserts), but every writer must get live_at right without
 * knowing of it, as 0013 promised: a third trigger gives a moved row its new article's date, and rows moved before
 * it are given theirs once.
 */
export const keepLiveAtOnMovedTags: Migration = {
  name: '0014_keep_live_at_on_moved_tags',
  async up(db, dialect) {
    if (dialect === 'mysql') await checkTriggersAllowed(db, '0014');
    await repair(db, dialect);
    switch (dialect) {
      case 'sqlite':
        // As 0013's insert trigger: SQLite cannot assign NEW, so the moved row is updated once written.
        await sql`create trigger article_tags_live_at_move after update of article_id on article_tags
          when old.article_id is not new.article_id begin
          update article_tags set live_at = (select case when a.status in ('published', 'scheduled')
            then a.published_at end from articles a where a.id = new.article_id)
          where article_id = new.article_id and tag_id = new.tag_id; end`.execute(db);
        break;
      case 'mysql':
        // MySQL cannot name the updated column in the trigger: it fires on every update and compares. The locking
        // read, as in 0013, waits for an article update in flight.
        await sql`create trigger article_tags_live_at_move before update on article_tags for each row
          if not (new.article_id <=> old.article_id) then
            set new.live_at = (select case when a.status in ('published', 'scheduled') then a.published_at end
              from articles a where a.id = new.article_id lock in share mode);
          end if`.execute(db);
        break;
      case 'postgres':
        // 0013's insert function sets NEW.live_at from NEW.article_id: the same work for a moved row.
        await sql`create trigger article_tags_live_at_move before update of article_id on article_tags for each row
          when (old.article_id is distinct from new.article_id) execute function article_tags_live_at()`.execute(db);
        break;
    }
  },
  async down(db, dialect) {
    await sql`drop trigger if exists article_tags_live_at_move ${sql.raw(dialect === 'postgres' ? 'on article_tags' : '')}`.execute(
      db,
    );
  },
};

/** Rows whose live_at is not their article's live date (moved before this migration) get it: 0013's backfill. */
async function repair(db: Parameters<Migration['up']>[0], dialect: Dialect): Promise<void> {
  const liveAt = sql`case when a.status in ('published', 'scheduled') then a.published_at end`;
  switch (dialect) {
    case 'sqlite':
      await sql`update article_tags set live_at = (select ${liveAt} from articles a
        where a.id = article_tags.article_id)`.execute(db);
      break;
    case 'mysql':
      await sql`update article_tags t join articles a on a.id = t.article_id set t.live_at = ${liveAt}`.execute(db);
      break;
    case 'postgres':
      await sql`update article_tags set live_at = ${liveAt} from articles a
        where a.id = article_tags.article_id`.execute(db);
      break;
  }
}
