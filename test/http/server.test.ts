import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/adapters/log/logger.js';
import { createDatabase, type Database } from '../../src/adapters/db/database.js';
import { AppError, ValidationError } from '../../src/domain/errors.js';
import { testConfig } from '../support/config.js';

describe('http skeleton', () => {
  let db: Database;
  let app: FastifyInstance;
  let draining = false;
  let dbDown = false;

  beforeAll(async () => {
    const config = testConfig({ DATABASE_URL: 'sqlite::memory:' });
    db = await createDatabase(config);
    app = await buildHttpServer({
      logger: createLogger(config),
      db,
      version: '9.9.9',
      draining: () => draining,
      pingDatabase: () => (dbDown ? new Promise(() => {}) : Promise.resolve()),
      routes: (server) => {
        server.post('/t/echo', (req) => req.body);
        server.get('/t/domain', () => {
          throw new ValidationError('title is required', [{ path: '/title', message: 'required' }]);
        });
        server.get('/t/conflict', () => {
          throw new AppError('slug_taken', 'slug is taken', 409);
        });
        server.get('/t/bug', () => {
          throw new Error('secret internal detail');
        });
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  it('GET /health/live answers 200 with the version', async () => {
    const res = await app.inject({ url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: '9.9.9' });
  });

  it('/health/ready is 503 while draining and when the database does not answer within 1 s', async () => {
    expect((await app.inject({ url: '/health/ready' })).statusCode).toBe(200);
    draining = true;
    expect((await app.inject({ url: '/health/ready' })).json()).toMatchObject({ status: 'draining' });
    draining = false;
    dbDown = true;
    // A hung dependency must fail the check within its own 1 s timeout (the test timeout catches a hang).
    const res = await app.inject({ url: '/health/ready' });
    dbDown = false;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unready' });
  });

  it('answers every failure in the envelope with a stable code', async () => {
    const cases = [
      [await app.inject({ url: '/nope' }), 404, 'not_found'],
      [
        await app.inject({
          method: 'POST',
          url: '/t/echo',
          payload: '{bad',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'invalid_json',
      ],
      [
        await app.inject({
          method: 'POST',
          url: '/t/echo',
          payload: 'x',
          headers: { 'content-type': 'application/x-nope' },
        }),
        415,
        'unsupported_media_type',
      ],
      [
        await app.inject({
          method: 'POST',
          url: '/t/echo',
          payload: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }),
          headers: { 'content-type': 'application/json' },
        }),
        413,
        'payload_too_large',
      ],
      [await app.inject({ url: '/t/domain' }), 422, 'validation_failed'],
      [await app.inject({ url: '/t/conflict' }), 409, 'slug_taken'],
    ] as const;
    for (const [res, status, code] of cases) {
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ error: { code, message: expect.any(String), details: expect.any(Array) } });
    }
  });

  it('a bug answers 500 without leaking its message, with the request id to find it in the log', async () => {
    const res = await app.inject({ url: '/t/bug', headers: { 'x-request-id': 'req-123' } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internal detail');
    expect(res.json()).toMatchObject({ error: { code: 'internal_error' } });
    expect(res.headers['x-request-id']).toBe('req-123');
  });

  it('every answer carries x-request-id: given, generated, on 404s, router errors and while draining', async () => {
    const given = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'given-1' } });
    expect(given.headers['x-request-id']).toBe('given-1');
    const a = await app.inject({ url: '/health/live' });
    const b = await app.inject({ url: '/health/live' });
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-request-id']).not.toBe(a.headers['x-request-id']);
    const missing = await app.inject({ url: '/nope', headers: { 'x-request-id': 'nope-1' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['x-request-id']).toBe('nope-1');
    const malformed = await app.inject({ url: '/t/%E0%A4%A', headers: { 'x-request-id': 'bad-url-1' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'bad_url' } });
    expect(malformed.headers['x-request-id']).toBe('bad-url-1');
    draining = true;
    const closing = await app.inject({ url: '/health/live', headers: { 'x-request-id': 'drain-1' } });
    draining = false;
    expect(closing.headers['x-request-id']).toBe('drain-1');
    expect(closing.headers.connection).toBe('close');
    expect((await app.inject({ url: '/health/live' })).headers.connection).not.toBe('close');
  });
});
