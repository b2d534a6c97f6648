import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../../support/api.js';

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
}

describe('the API contract', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('sqlite');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('serves an OpenAPI 3 document covering every API route, with request and response schemas', async () => {
    const res = await api.call({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<OpenApiDoc>();
    expect(doc.openapi).toMatch(/^3\./);
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    for (const op of [
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'GET /api/auth/session',
      'GET /api/tokens',
      'POST /api/tokens',
      'DELETE /api/tokens/{id}',
      'GET /api/articles',
      'GET /api/articles/search',
      'GET /api/articles/{ref}',
      'POST /api/articles',
      'PATCH /api/articles/{id}',
      'POST /api/articles/{id}/publish',
      'POST /api/articles/{id}/unpublish',
      'DELETE /api/articles/{id}',
      'GET /api/manage/articles',
      'GET /api/tags',
      'PATCH /api/tags/{id}',
      'POST /api/tags/{id}/merge',
      'GET /api/articles/{id}/comments',
      'POST /api/articles/{id}/comments',
      'GET /api/comments',
      'POST /api/comments/{id}/approve',
      'POST /api/comments/{id}/spam',
      'DELETE /api/comments/{id}',
      'GET /api/users',
      'POST /api/users',
      'PATCH /api/users/{id}',
    ]) {
      expect(operations).toContain(op);
    }
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        expect(success.length, `${method} ${path} documents its success response`).toBeGreaterThan(0);
        if (
          ['post', 'patch'].includes(method) &&
          !path.endsWith('/unpublish') &&
          !/approve|spam|logout|retry/.test(path)
        ) {
          expect(op.requestBody, `${method} ${path} documents its body`).toBeDefined();
        }
      }
    }
    expect(JSON.stringify(doc.paths['/api/articles']!.get!.responses['400'])).toContain('details');
  });

  it('serves the docs page at /api/docs', async () => {
    const res = await api.call({ method: 'GET', url: '/api/docs' });
    const page = res.statusCode === 302 ? await api.call({ method: 'GET', url: res.headers.location! }) : res;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger/i);
  });

  it.each([
    [
      'bad JSON',
      {
        method: 'POST' as const,
        url: '/api/articles',
        payload: '{"title":',
        headers: { 'content-type': 'application/json' },
      },
      400,
      'invalid_json',
    ],
    [
      'wrong content type',
      {
        method: 'POST' as const,
        url: '/api/articles',
        payload: '<a/>',
        headers: { 'content-type': 'application/xml' },
      },
      415,
      'unsupported_media_type',
    ],
    [
      'too large',
      { method: 'POST' as const, url: '/api/articles', payload: { title: 'x', markdown: 'y'.repeat(1_100_000) } },
      413,
      'payload_too_large',
    ],
    [
      'extra field',
      { method: 'POST' as const, url: '/api/articles', payload: { title: 'x', markdown: 'y', admin: true } },
      400,
      'invalid_request',
    ],
    ['limit over 100', { method: 'GET' as const, url: '/api/articles?limit=101' }, 400, 'invalid_request'],
    ['no such route', { method: 'GET' as const, url: '/api/nope' }, 404, 'not_found'],
  ])('%s -> %i in the envelope', async (_name, request, status, code) => {
    const res = await api.call({ ...request, as: api.users.author });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({
      error: { code, message: expect.any(String) as string, details: expect.any(Array) as unknown[] },
    });
  });
});
