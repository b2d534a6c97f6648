import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { startApi, type ApiHarness } from '../../support/api.js';
import { publish } from '../site/helpers.js';
import { cacheTag } from '../../../src/services/content-changes.js';

describeEachDialect('site settings API', (dialect) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(dialect, { APP_NAME: 'Inkstone Test Blog' });
  });
  afterAll(async () => {
    await api?.close();
  });
  const get = async () => (await api.call({ method: 'GET', url: '/api/settings' })).json<Record<string, unknown>>();

  it('starts from the defaults (APP_NAME as the title), readable by anybody', async () => {
    expect(await get()).toEqual({ title: 'Inkstone Test Blog', description: '', postsPerPage: 10, commentsOpen: true });
  });

  it('an admin changes some fields; the others keep their values; cached pages are dropped', async () => {
    await api.app.cache.set('page:/', 'home', { tags: [cacheTag.lists, cacheTag.content] });
    const res = await api.call({
      method: 'PATCH',
      url: '/api/settings',
      as: api.users.admin,
      payload: { title: '  墨石 — notes  ', postsPerPage: 20 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ title: '墨石 — notes', description: '', postsPerPage: 20, commentsOpen: true });
    expect(await get()).toMatchObject({ title: '墨石 — notes', postsPerPage: 20 });
    expect(await api.app.cache.get('page:/')).toBeUndefined();
    const again = await api.call({
      method: 'PATCH',
      url: '/api/settings',
      as: api.users.admin,
      payload: { description: 'About operations' },
    });
    expect(again.json()).toMatchObject({ title: '墨石 — notes', description: 'About operations', postsPerPage: 20 });
  });

  it('refuses bad values with the field named, and non-admins; nothing changes', async () => {
    const before = await get();
    for (const payload of [
      { title: '   ' },
      { postsPerPage: 0 },
      { postsPerPage: 2.5 },
      { description: 'x'.repeat(301) },
    ]) {
      const res = await api.call({ method: 'PATCH', url: '/api/settings', as: api.users.admin, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json<{ error: { details: Array<{ path: string }> } }>().error.details[0]!.path).toBe(
        `/${Object.keys(payload)[0]}`,
      );
    }
    const unknown = await api.call({
      method: 'PATCH',
      url: '/api/settings',
      as: api.users.admin,
      payload: { theme: 1 },
    });
    expect(unknown.statusCode).toBe(400);
    const wrongType = await api.call({
      method: 'PATCH',
      url: '/api/settings',
      as: api.users.admin,
      payload: { commentsOpen: 'no' },
    });
    expect(wrongType.statusCode).toBe(400);
    for (const who of [api.users.editor, api.users.author]) {
      const res = await api.call({ method: 'PATCH', url: '/api/settings', as: who, payload: { title: 'Mine' } });
      expect(res.statusCode).toBe(403);
    }
    expect((await api.call({ method: 'PATCH', url: '/api/settings', payload: { title: 'Mine' } })).statusCode).toBe(
      401,
    );
    expect(await get()).toEqual(before);
  });

  it('closing comments refuses new ones with 403 comments_closed', async () => {
    const { id } = await publish(api, api.users.author, { title: 'Quiet', markdown: 'x' });
    await api.call({ method: 'PATCH', url: '/api/settings', as: api.users.admin, payload: { commentsOpen: false } });
    const res = await api.call({
      method: 'POST',
      url: `/api/articles/${id}/comments`,
      payload: { name: 'R', email: 'r@example.com', body: 'hello' },
      remoteAddress: '10.8.0.1',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('comments_closed');
    await api.call({ method: 'PATCH', url: '/api/settings', as: api.users.admin, payload: { commentsOpen: true } });
    const open = await api.call({
      method: 'POST',
      url: `/api/articles/${id}/comments`,
      payload: { name: 'R', email: 'r@example.com', body: 'hello' },
      remoteAddress: '10.8.0.1',
    });
    expect(open.statusCode).toBe(202);
  });
});
