import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness, type TestUser } from '../../support/api.js';
import { publish, type Published } from './helpers.js';

describe('an author renames themselves: cached pages that name them are dropped at once, not after their TTL', () => {
  let h: ApiHarness;
  let post: Published;
  const patch = (as: TestUser, id: number, payload: unknown) =>
    h.call({ method: 'PATCH', url: `/api/users/${id}`, as, payload: payload as Record<string, unknown> });
  const page = (url: string) => h.call({ method: 'GET', url });

  beforeAll(async () => {
    h = await startApi('sqlite', {}, { web: true });
    post = await publish(h, h.users.author, { title: 'Signed post', markdown: 'Body' });
  });
  afterAll(() => h?.close());

  it('the author page, the article page and the feed show the new name and bio on the next request', async () => {
    const urls = [`/authors/${h.users.author.id}`, `/articles/${post.slug}`, '/feed.xml'];
    for (const url of urls) {
      expect((await page(url)).statusCode, url).toBe(200);
      const cached = await page(url);
      expect(cached.headers['x-cache'], url).toBe('HIT');
      expect(cached.body, url).not.toContain('李小龙 Lee');
    }

    const res = await patch(h.users.author, h.users.author.id, { name: '  李小龙 Lee ', bio: 'Writes about <ops>.' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: h.users.author.id, name: '李小龙 Lee', bio: 'Writes about <ops>.' });

    for (const url of urls) {
      const fresh = await page(url);
      expect(fresh.headers['x-cache'], url).toBe('MISS');
      expect(fresh.body, url).toContain('李小龙 Lee');
    }
    expect((await page(`/authors/${h.users.author.id}`)).body).toContain('Writes about &lt;ops&gt;.');
  });

  it('a patch that changes nothing drops nothing; an empty bio removes it', async () => {
    const url = `/authors/${h.users.author.id}`;
    await page(url);
    expect((await page(url)).headers['x-cache']).toBe('HIT');
    expect((await patch(h.users.author, h.users.author.id, { name: '李小龙 Lee' })).statusCode).toBe(200);
    expect((await page(url)).headers['x-cache']).toBe('HIT');

    const cleared = await patch(h.users.author, h.users.author.id, { bio: '' });
    expect(cleared.json()).toMatchObject({ bio: null });
    const after = await page(url);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body).not.toContain('Writes about');
  });

  it('admins edit anyone; others only themselves, and never their own role', async () => {
    const byAdmin = await patch(h.users.admin, h.users.author2.id, { name: 'Second Author' });
    expect(byAdmin.statusCode).toBe(200);
    expect(byAdmin.json()).toMatchObject({ name: 'Second Author', role: 'author' });
    const other = await patch(h.users.author, h.users.author2.id, { name: 'Hijacked' });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: { code: 'forbidden' } });
    const promote = await patch(h.users.author, h.users.author.id, { role: 'admin', name: 'Boss' });
    expect(promote.statusCode).toBe(403);
    expect((await h.app.blog.users.list({ id: h.users.admin.id, role: 'admin' })).map((u) => u.name)).not.toContain(
      'Boss',
    );
  });

  it.each([
    ['no field', {}, 400],
    ['an unknown field', { email: 'x@example.com' }, 400],
    ['a blank name', { name: '   ' }, 422],
    ['a name too long', { name: 'n'.repeat(121) }, 422],
    ['a bio too long', { bio: 'b'.repeat(2001) }, 422],
    ['a NUL in the name', { name: 'a\u0000b' }, 400],
  ])('%s -> %i with the error envelope', async (_what, body, status) => {
    const res = await patch(h.users.author, h.users.author.id, body);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json<{ error: { code: string; message: string } }>().error.message).toBeTruthy();
  });

  it('404 for a user that does not exist; 401 anonymous', async () => {
    expect((await patch(h.users.admin, 999_999, { name: 'Nobody' })).statusCode).toBe(404);
    const anonymous = await h.call({ method: 'PATCH', url: `/api/users/${h.users.author.id}`, payload: { name: 'x' } });
    expect(anonymous.statusCode).toBe(401);
  });
});
