import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { describeEachDialect } from '../../support/databases.js';
import { startApi, type ApiHarness, type TestUser } from '../../support/api.js';
import { ACTIONS, can } from '../../../src/domain/policy.js';
import { ROLES } from '../../../src/domain/roles.js';

type Who = 'anonymous' | 'author' | 'editor' | 'admin';
const WHO: Who[] = ['anonymous', 'author', 'editor', 'admin'];

interface Case {
  action: string;
  /** Builds a fresh request (fixtures made by other users, so "own" never applies by accident). */
  request(api: ApiHarness): Promise<InjectOptions>;
  expect: Record<Who, number>;
}

async function draftBy(api: ApiHarness, user: TestUser): Promise<number> {
  const res = await api.call({
    method: 'POST',
    url: '/api/articles',
    as: user,
    payload: { title: 'Fixture', markdown: 'x' },
  });
  return res.json<{ id: number }>().id;
}
async function liveBy(api: ApiHarness, user: TestUser): Promise<number> {
  const id = await draftBy(api, user);
  await api.call({ method: 'POST', url: `/api/articles/${id}/publish`, as: user });
  return id;
}
async function pendingComment(api: ApiHarness): Promise<number> {
  const articleId = await liveBy(api, api.users.author2);
  await api.call({
    method: 'POST',
    url: `/api/articles/${articleId}/comments`,
    payload: { name: 'R', email: 'r@example.com', body: 'hi' },
    remoteAddress: `10.7.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  });
  const list = await api.call({ method: 'GET', url: '/api/comments?status=pending&limit=1', as: api.users.admin });
  return list.json<{ data: Array<{ id: number }> }>().data[0]!.id;
}
async function tagId(api: ApiHarness, name: string): Promise<number> {
  const [id] = await api.app.blog.tags.resolve([name]);
  return id!;
}

let n = 0;
const CASES: Case[] = [
  {
    action: 'create an article',
    request: () => Promise.resolve({ method: 'POST', url: '/api/articles', payload: { title: 'New', markdown: 'x' } }),
    expect: { anonymous: 401, author: 201, editor: 201, admin: 201 },
  },
  {
    action: "read someone else's draft",
    request: async (api) => ({ method: 'GET', url: `/api/articles/${await draftBy(api, api.users.author2)}` }),
    expect: { anonymous: 404, author: 404, editor: 200, admin: 200 },
  },
  {
    action: "update someone else's published article",
    request: async (api) => ({
      method: 'PATCH',
      url: `/api/articles/${await liveBy(api, api.users.author2)}`,
      payload: { title: 'Changed' },
    }),
    expect: { anonymous: 401, author: 403, editor: 200, admin: 200 },
  },
  {
    action: "publish someone else's draft",
    request: async (api) => ({ method: 'POST', url: `/api/articles/${await draftBy(api, api.users.author2)}/publish` }),
    expect: { anonymous: 401, author: 404, editor: 200, admin: 200 },
  },
  {
    action: "unpublish someone else's article",
    request: async (api) => ({
      method: 'POST',
      url: `/api/articles/${await liveBy(api, api.users.author2)}/unpublish`,
    }),
    expect: { anonymous: 401, author: 403, editor: 200, admin: 200 },
  },
  {
    action: "delete someone else's article",
    request: async (api) => ({ method: 'DELETE', url: `/api/articles/${await liveBy(api, api.users.author2)}` }),
    expect: { anonymous: 401, author: 403, editor: 204, admin: 204 },
  },
  {
    action: 'list articles of every status',
    request: () => Promise.resolve({ method: 'GET', url: '/api/manage/articles' }),
    expect: { anonymous: 401, author: 200, editor: 200, admin: 200 },
  },
  {
    action: 'see the moderation queue',
    request: () => Promise.resolve({ method: 'GET', url: '/api/comments' }),
    expect: { anonymous: 401, author: 403, editor: 200, admin: 200 },
  },
  {
    action: 'approve a comment',
    request: async (api) => ({ method: 'POST', url: `/api/comments/${await pendingComment(api)}/approve` }),
    expect: { anonymous: 401, author: 403, editor: 200, admin: 200 },
  },
  {
    action: 'mark a comment as spam',
    request: async (api) => ({ method: 'POST', url: `/api/comments/${await pendingComment(api)}/spam` }),
    expect: { anonymous: 401, author: 403, editor: 200, admin: 200 },
  },
  {
    action: 'delete a comment',
    request: async (api) => ({ method: 'DELETE', url: `/api/comments/${await pendingComment(api)}` }),
    expect: { anonymous: 401, author: 403, editor: 204, admin: 204 },
  },
  {
    action: 'rename a tag',
    request: async (api) => ({
      method: 'PATCH',
      url: `/api/tags/${await tagId(api, `tag ${++n}`)}`,
      payload: { name: `renamed ${n}` },
    }),
    expect: { anonymous: 401, author: 403, editor: 200, admin: 200 },
  },
  {
    action: 'merge tags',
    request: async (api) => ({
      method: 'POST',
      url: `/api/tags/${await tagId(api, `from ${++n}`)}/merge`,
      payload: { into: await tagId(api, `into ${n}`) },
    }),
    expect: { anonymous: 401, author: 403, editor: 200, admin: 200 },
  },
  {
    action: 'list users',
    request: () => Promise.resolve({ method: 'GET', url: '/api/users' }),
    expect: { anonymous: 401, author: 403, editor: 403, admin: 200 },
  },
  {
    action: 'create a user',
    request: () =>
      Promise.resolve({
        method: 'POST',
        url: '/api/users',
        payload: { email: `new${++n}@example.com`, role: 'author', password: 'a-long-password' },
      }),
    expect: { anonymous: 401, author: 403, editor: 403, admin: 201 },
  },
  {
    action: "change a user's role",
    request: (api) =>
      Promise.resolve({ method: 'PATCH', url: `/api/users/${api.users.author2.id}`, payload: { role: 'author' } }),
    expect: { anonymous: 401, author: 403, editor: 403, admin: 200 },
  },
  {
    action: 'create an API token',
    request: () => Promise.resolve({ method: 'POST', url: '/api/tokens', payload: { name: 'x' } }),
    expect: { anonymous: 401, author: 201, editor: 201, admin: 201 },
  },
];

describeEachDialect('authorization matrix: role x action over HTTP', (dialect) => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi(dialect, { COMMENT_MAX_PER_IP: '1000' });
  });
  afterAll(async () => {
    await api?.close();
  });

  for (const c of CASES) {
    it(`${c.action}: ${WHO.map((w) => `${w} ${c.expect[w]}`).join(', ')}`, async () => {
      for (const who of WHO) {
        const request = await c.request(api);
        const res = await api.call({ ...request, as: who === 'anonymous' ? undefined : api.users[who] });
        expect(res.statusCode, `${who}: ${res.body}`).toBe(c.expect[who]);
      }
    });
  }

  it('authors may change, publish and delete their own articles', async () => {
    const own = await draftBy(api, api.users.author);
    const as = api.users.author;
    expect(
      (await api.call({ method: 'PATCH', url: `/api/articles/${own}`, as, payload: { title: 'Mine' } })).statusCode,
    ).toBe(200);
    expect((await api.call({ method: 'POST', url: `/api/articles/${own}/publish`, as })).statusCode).toBe(200);
    expect((await api.call({ method: 'POST', url: `/api/articles/${own}/unpublish`, as })).statusCode).toBe(200);
    expect((await api.call({ method: 'DELETE', url: `/api/articles/${own}`, as })).statusCode).toBe(204);
  });
});

describe('the policy table', () => {
  it('matches the roles described in the issue for every action', () => {
    const table = Object.fromEntries(
      ROLES.map((role) => [role, ACTIONS.filter((a) => can({ id: 1, role }, a, 2)).sort()]),
    );
    expect(table).toEqual({
      admin: [...ACTIONS].sort(),
      editor: ACTIONS.filter((a) => a !== 'user:manage' && a !== 'settings:manage' && a !== 'ops:manage').sort(),
      author: ['article:create', 'token:manage-own'],
    });
    for (const action of ['article:update', 'article:publish', 'article:delete', 'article:read-unpublished'] as const) {
      expect(can({ id: 1, role: 'author' }, action, 1)).toBe(true);
    }
  });
});
