import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { createTestApp, redisTestPrefix, type TestApp } from '../support/app.js';
import { testConfig } from '../support/config.js';
import { createApp, type App } from '../../src/app.js';
import { SETTINGS_KEY } from '../../src/services/settings.js';
import type { SiteSettings } from '../../src/domain/settings.js';

const admin = { id: 1, role: 'admin' as const };

// Every listing page reads the page size: the settings service keeps them in the cache port between reads.
describeEachDialect('settings kept between reads', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { APP_NAME: 'Kept Blog' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers from the kept copy after the first read', async () => {
    const first = await t.app.blog.settings.get();
    expect(await t.app.cache.get<SiteSettings>(SETTINGS_KEY)).toEqual(first);
    // A kept copy is what get answers (no query ran): plant one and read it back.
    await t.app.cache.set(SETTINGS_KEY, { ...first, title: 'Planted' });
    expect((await t.app.blog.settings.get()).title).toBe('Planted');
    await t.app.cache.delete(SETTINGS_KEY);
    expect((await t.app.blog.settings.get()).title).toBe('Kept Blog');
  });

  it('an update shows at once', async () => {
    await t.app.blog.settings.get();
    await t.app.blog.settings.update(admin, { title: 'Renamed', postsPerPage: 7 });
    expect(await t.app.blog.settings.get()).toMatchObject({ title: 'Renamed', postsPerPage: 7 });
  });

  it('a settings change told by another instance drops the kept copy', async () => {
    expect((await t.app.blog.settings.get()).title).toBe('Renamed');
    // Another instance saved a title, then told every cache holder (the shared cache's tags) that settings changed.
    await t.app.db.primary
      .updateTable('settings')
      .set({ value: JSON.stringify('From elsewhere') })
      .where('name', '=', 'title')
      .execute();
    expect((await t.app.blog.settings.get()).title).toBe('Renamed');
    await t.app.contentChanged({ kind: 'settings' });
    expect((await t.app.blog.settings.get()).title).toBe('From elsewhere');
  });

  it('defaults that stood in for unreadable settings are not kept', async () => {
    await t.app.cache.delete(SETTINGS_KEY);
    await sql`alter table settings rename to settings_away`.execute(t.app.db.primary);
    try {
      expect((await t.app.blog.settings.get()).title).toBe('Kept Blog');
      expect(await t.app.cache.get(SETTINGS_KEY)).toBeUndefined();
    } finally {
      await sql`alter table settings_away rename to settings`.execute(t.app.db.primary);
    }
    expect((await t.app.blog.settings.get()).title).toBe('From elsewhere');
  });
});

describe('settings kept in a shared Redis cache', () => {
  const redis = redisTestPrefix();
  let a: TestApp;
  let b: App;
  beforeAll(async () => {
    a = await createTestApp('sqlite', { REDIS_URL: redis.url, REDIS_PREFIX: redis.prefix, APP_NAME: 'Shared' });
    b = await createApp(testConfig(a.env));
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await redis.clean();
  });

  it('a change on one instance shows at once on the other', async () => {
    expect((await b.blog.settings.get()).title).toBe('Shared');
    expect((await a.app.blog.settings.get()).title).toBe('Shared');
    await a.app.blog.settings.update(admin, { title: 'Changed on A' });
    expect((await b.blog.settings.get()).title).toBe('Changed on A');
  });
});
