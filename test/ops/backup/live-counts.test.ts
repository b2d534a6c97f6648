import { afterAll, expect, it } from 'vitest';
import { describeEachDialect, createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { connect, seedBlog } from '../../support/blog-data.js';
import { backupSandbox, jsonOf } from '../../support/backup-env.js';

// A backup taken while the blog keeps writing: the manifest's row counts must describe the rows the backup holds,
// or the restore's count check reports a mismatch for a restore that is right. Counts taken on a connection of
// their own beside the dump (as before) saw other moments than the dump's snapshot.
describeEachDialect('a backup taken while the app writes', (dialect) => {
  let tdb: TestDatabase | undefined;
  let box: ReturnType<typeof backupSandbox> | undefined;
  afterAll(async () => {
    await tdb?.drop();
    box?.remove();
  });

  it('restores with row counts equal to its manifest', async () => {
    tdb = await createTestDatabase(dialect);
    box = backupSandbox(tdb.url);
    expect((await box.run(['migrate'])).code).toBe(0);
    const writer = await connect(tdb.url);
    await seedBlog(writer.db, 300);
    let writing = true;
    let written = 0;
    const writes = (async () => {
      while (writing) {
        written += 1;
        await writer.db
          .insertInto('tags')
          .values({ name: `live ${written}`, slug: `live-${written}`, created_at: new Date() })
          .execute();
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    let setId: string;
    let duringBackup: number;
    try {
      const before = written;
      setId = jsonOf<{ id: string }>(await box.run(['backup:run', '--only-db', '--json'])).id;
      duringBackup = written - before;
    } finally {
      writing = false;
      await writes;
      await writer.close();
    }
    // Writes went on while the backup ran, so a count taken at any other moment than the dump's would differ.
    expect(duringBackup).toBeGreaterThanOrEqual(3);

    const res = await box.run(['backup:restore', setId, '--only-db', '--json']);
    expect(res.stderr).toBe('');
    const report = JSON.parse(res.stdout) as {
      countsMatch: boolean;
      tables: { table: string; expected: number | null; actual: number | null }[];
    };
    expect(report.tables.filter((t) => t.expected !== t.actual)).toEqual([]);
    expect(report.countsMatch).toBe(true);
    expect(res.code).toBe(0);
  }, 120_000);
});
