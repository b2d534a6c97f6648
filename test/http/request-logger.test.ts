import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/adapters/log/logger.js';
import { createDatabase, type Database } from '../../src/adapters/db/database.js';
import { testConfig } from '../support/config.js';

// request.log is made on first use (src/http/request-logger.ts): what is logged through it still carries the
// request id, and a child of it keeps both bindings.
describe('request.log', () => {
  let db: Database;
  let app: FastifyInstance;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const config = testConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'info' });
    db = await createDatabase(config);
    const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
    app = await buildHttpServer({
      logger: createLogger(config, stream),
      db,
      version: 'test',
      draining: () => false,
      pingDatabase: () => Promise.resolve(),
      routes: (server) => {
        server.get('/t/logs', (request) => {
          request.log.warn({ step: 1 }, 'first %s', 'line');
          request.log.child({ job: 'x' }).info('from a child');
          request.log.debug('below the level');
          return { level: request.log.level };
        });
        server.get('/t/bug', () => {
          throw new Error('boom');
        });
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await db.destroy();
  });

  it('lines logged through request.log carry the request id, formatting and the level', async () => {
    const res = await app.inject({ url: '/t/logs', headers: { 'x-request-id': 'lazy-1' } });
    expect(res.json()).toEqual({ level: 'info' });
    const mine = lines.filter((l) => l.reqId === 'lazy-1');
    expect(mine).toEqual([
      expect.objectContaining({ level: 40, msg: 'first line', step: 1 }),
      expect.objectContaining({ level: 30, msg: 'from a child', job: 'x' }),
    ]);
  });

  it('a failing request logs its error with the request id', async () => {
    const res = await app.inject({ url: '/t/bug', headers: { 'x-request-id': 'lazy-2' } });
    expect(res.statusCode).toBe(500);
    expect(lines.some((l) => l.reqId === 'lazy-2' && l.level === 50)).toBe(true);
  });
});
