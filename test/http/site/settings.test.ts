import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../../support/api.js';
import { cardTitles, publish } from './helpers.js';

describe('site settings on the public site', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi('sqlite', { APP_NAME: 'Default Name' }, { web: true });
    for (let i = 1; i <= 5; i++) await publish(h, h.users.author, { title: `Post ${i}`, markdown: 'x' });
  });
  afterAll(async () => {
    await h?.close();
  });
  const home = async (query = '') => (await h.call({ method: 'GET', url: `/${query}` })).body;

  it('the title, description and page size an admin sets show on the next rendering', async () => {
    expect(await home()).toContain('<title>Default Name</title>');
    expect(cardTitles(await home())).toHaveLength(5);
    const res = await h.call({
      method: 'PATCH',
      url: '/api/settings',
      as: h.users.admin,
      payload: { title: '墨石 & Ops', description: 'Notes on running things', postsPerPage: 2 },
    });
    expect(res.statusCode, res.body).toBe(200);
    // The site re-reads its settings at most every 2 s; the change dropped the cached pages meanwhile.
    await new Promise((r) => setTimeout(r, 2100));
    const body = await home();
    expect(body).toContain('<title>墨石 &amp; Ops</title>');
    expect(body).toContain('<meta name="description" content="Notes on running things" />');
    expect(cardTitles(body)).toEqual(['Post 5', 'Post 4']);
    expect(cardTitles(await home('?page=3'))).toEqual(['Post 1']);
    expect((await h.call({ method: 'GET', url: '/?page=4' })).statusCode).toBe(404);
  });
});
