import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, tableHashes } from '../../support/blog-data.js';
import { backupSandbox, jsonOf } from '../../support/backup-env.js';
import { createTestDatabase, dialectAvailability, type TestDatabase } from '../../support/databases.js';

// A backup taken by one account and restored by another, as when a blog moves to a new server (or a container where
// the app's account is `inkstone`@`%`, not `inkstone`@`localhost`). The dump names the account that created the
// triggers (migration 0013's live_at triggers); loaded as is by an account without SUPER, the server refused them
// (error 1227) and the restore stopped with the database half loaded.
const mysql = dialectAvailability('mysql');

describe.skipIf(!mysql.available)(
  `backup:restore by another MariaDB account than the one that migrated${mysql.available ? '' : ` (skipped: ${mysql.reason})`}`,
  () => {
    let tdb: TestDatabase;
    let box: ReturnType<typeof backupSandbox>;
    let original: Record<string, string>;
    let setId: string;
    // A private account on the shared server, allowed this test database only (no SUPER, no SET USER).
    const user = `ink_restore_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(9).toString('base64url');
    let restoreUrl: string;

    const asRoot = async (statements: string[]) => {
      const root = new URL(tdb.url);
      const conn = await createConnection({ host: root.hostname, port: Number(root.port || 3306), user: 'root' });
      try {
        for (const statement of statements) await conn.query(statement);
      } finally {
        await conn.end();
      }
    };

    beforeAll(async () => {
      tdb = await createTestDatabase('mysql');
      box = backupSandbox(tdb.url);
      // Migrated (so the triggers are defined) and backed up by root.
      original = await box.migrateAndSeed();
      setId = jsonOf<{ id: string }>(await box.run(['backup:run', '--only-db', '--json'])).id;
      await asRoot([
        `create user '${user}'@'%' identified by '${password}'`,
        `grant all privileges on \`${tdb.name}\`.* to '${user}'@'%'`,
      ]);
      const url = new URL(tdb.url);
      url.username = user;
      url.password = password;
      restoreUrl = url.toString();
    });

    afterAll(async () => {
      if (tdb) await asRoot([`drop user if exists '${user}'@'%'`]).catch(() => undefined);
      await tdb?.drop();
      box?.remove();
    });

    it('restores every row, and the triggers belong to the restoring account and work', async () => {
      const vandal = await connect(tdb.url);
      await vandal.db.deleteFrom('comments').execute();
      await vandal.close();

      const res = await box.run(['backup:restore', setId, '--json'], { DATABASE_URL: restoreUrl });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(JSON.parse(res.stdout)).toMatchObject({ countsMatch: true });

      const { db, close } = await connect(tdb.url);
      try {
        expect(await tableHashes(db)).toEqual(original);
        const { rows } = await sql<{ name: string; definer: string }>`
          select trigger_name as name, definer from information_schema.triggers
          where trigger_schema = ${tdb.name}`.execute(db);
        rows.sort((a, b) => a.name.localeCompare(b.name));
        expect(rows.map((r) => r.name)).toEqual([
          'article_tags_live_at_insert',
          'article_tags_live_at_move',
          'articles_live_at_update',
        ]);
        expect(new Set(rows.map((r) => r.definer))).toEqual(new Set([`${user}@%`]));
      } finally {
        await close();
      }

      // The restoring account's own writes fire them (a definer that does not exist would fail them: error 1449).
      const app = await connect(restoreUrl);
      try {
        const article = await app.db
          .selectFrom('articles')
          .select(['id', 'published_at'])
          .where('status', '=', 'published')
          .orderBy('id')
          .executeTakeFirstOrThrow();
        const tag = await app.db.selectFrom('tags').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
        await app.db.deleteFrom('article_tags').where('article_id', '=', article.id).execute();
        await app.db.insertInto('article_tags').values({ article_id: article.id, tag_id: tag.id }).execute();
        const row = await app.db
          .selectFrom('article_tags')
          .select('live_at')
          .where('article_id', '=', article.id)
          .executeTakeFirstOrThrow();
        expect(row.live_at?.toISOString()).toBe(article.published_at?.toISOString());
      } finally {
        await app.close();
      }
    });
  },
);
