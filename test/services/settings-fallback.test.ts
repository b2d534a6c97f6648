import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// A deploy starts the new release before `migrate` creates its tables: settings must not take pages down then.
describe('settings before their table exists', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { APP_NAME: 'Fallback Blog' });
    await sql`drop table settings`.execute(t.app.db.primary);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reads give the defaults; a write still fails loudly', async () => {
    expect(await t.app.blog.settings.get()).toEqual({
      title: 'Fallback Blog',
      description: '',
      postsPerPage: 10,
      commentsOpen: true,
    });
    await expect(t.app.blog.settings.update({ id: 1, role: 'admin' }, { title: 'New' })).rejects.toThrow(/settings/);
  });
});
