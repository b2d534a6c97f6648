import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../support/databases.js';
import { startApi, type ApiHarness } from '../../support/api.js';

describeEachDialect('users API: create, change role, delete', (dialect) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(dialect);
  });
  afterAll(async () => {
    await api?.close();
  });

  const create = async (email: string, role = 'author') => {
    const res = await api.call({
      method: 'POST',
      url: '/api/users',
      as: api.users.admin,
      payload: { email, role, password: 'a-long-enough-password' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: number }>().id;
  };
  const errorCode = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;

  it('deletes a user without articles; their tokens stop working at once', async () => {
    const id = await create('leaving@example.com');
    const { token } = await api.app.blog.auth.createApiToken({ id, role: 'author' }, 'tests');
    const bearer = { authorization: `Bearer ${token}` };
    expect((await api.call({ method: 'GET', url: '/api/tokens', headers: bearer })).statusCode).toBe(200);
    const res = await api.call({ method: 'DELETE', url: `/api/users/${id}`, as: api.users.admin });
    expect(res.statusCode, res.body).toBe(204);
    expect((await api.call({ method: 'GET', url: '/api/tokens', headers: bearer })).statusCode).toBe(401);
    expect((await api.call({ method: 'DELETE', url: `/api/users/${id}`, as: api.users.admin })).statusCode).toBe(404);
  });

  it('a user with articles needs reassignTo; the articles then belong to that user and nothing is lost', async () => {
    const id = await create('writer@example.com');
    const { token } = await api.app.blog.auth.createApiToken({ id, role: 'author' }, 'tests');
    const made = await api.call({
      method: 'POST',
      url: '/api/articles',
      headers: { authorization: `Bearer ${token}` },
      payload: { title: 'Kept after the author left', markdown: 'body' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const articleId = made.json<{ id: number }>().id;

    const refused = await api.call({ method: 'DELETE', url: `/api/users/${id}`, as: api.users.admin });
    expect(refused.statusCode).toBe(409);
    expect(errorCode(refused)).toBe('has_articles');
    const toSelf = await api.call({ method: 'DELETE', url: `/api/users/${id}?reassignTo=${id}`, as: api.users.admin });
    expect(toSelf.statusCode).toBe(422);
    const toNobody = await api.call({
      method: 'DELETE',
      url: `/api/users/${id}?reassignTo=999999`,
      as: api.users.admin,
    });
    expect(toNobody.statusCode).toBe(422);
    const bad = await api.call({ method: 'DELETE', url: `/api/users/${id}?reassignTo=abc`, as: api.users.admin });
    expect(bad.statusCode).toBe(400);

    const res = await api.call({
      method: 'DELETE',
      url: `/api/users/${id}?reassignTo=${api.users.editor.id}`,
      as: api.users.admin,
    });
    expect(res.statusCode, res.body).toBe(204);
    const article = await api.call({ method: 'GET', url: `/api/articles/${articleId}`, as: api.users.editor });
    expect(article.statusCode).toBe(200);
    expect(article.json<{ author: { id: number } }>().author.id).toBe(api.users.editor.id);
  });

  it('only admins delete; nobody deletes or demotes themselves', async () => {
    const id = await create('target@example.com');
    for (const who of [api.users.editor, api.users.author]) {
      expect((await api.call({ method: 'DELETE', url: `/api/users/${id}`, as: who })).statusCode).toBe(403);
    }
    expect((await api.call({ method: 'DELETE', url: `/api/users/${id}` })).statusCode).toBe(401);
    const self = await api.call({ method: 'DELETE', url: `/api/users/${api.users.admin.id}`, as: api.users.admin });
    expect(self.statusCode).toBe(409);
    expect(errorCode(self)).toBe('delete_self');
    const demote = await api.call({
      method: 'PATCH',
      url: `/api/users/${api.users.admin.id}`,
      as: api.users.admin,
      payload: { role: 'author' },
    });
    expect(demote.statusCode).toBe(409);
    expect(errorCode(demote)).toBe('own_role');
    const list = await api.call({ method: 'GET', url: '/api/users', as: api.users.admin });
    expect(list.json<{ data: Array<{ id: number; role: string }> }>().data).toContainEqual(
      expect.objectContaining({ id: api.users.admin.id, role: 'admin' }),
    );
  });
});
