import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/adapters/log/logger.js';
import { createDatabase, type Database } from '../../src/adapters/db/database.js';
import { testConfig } from '../support/config.js';

// A deploy tells the builds apart by what /health says: version and commit must both be there.
describe('health routes report the build', () => {
  let server: FastifyInstance;
  let db: Database;
  let draining = false;
  beforeAll(async () => {
    const config = testConfig({ DATABASE_URL: 'sqlite::memory:' });
    db = await createDatabase(config);
    server = await buildHttpServer({
      logger: createLogger(config),
      db,
      version: '1.2.3',
      commit: 'abc123def456',
      draining: () => draining,
      pingDatabase: async () => {
        await db.primary.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await db.destroy();
  });

  it('live and ready carry version and commit', async () => {
    const live = await server.inject('/health/live');
    expect(live.json()).toEqual({ status: 'ok', version: '1.2.3', commit: 'abc123def456' });
    const ready = await server.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', version: '1.2.3', commit: 'abc123def456' });
  });

  it('ready says draining with a 503, still naming the build', async () => {
    draining = true;
    const ready = await server.inject('/health/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'draining', version: '1.2.3', commit: 'abc123def456' });
  });
});
