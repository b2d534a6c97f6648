import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Dialect } from '../../src/config/index.js';
import { createApp, type App, type CreateAppOptions } from '../../src/app.js';
import { testConfig } from './config.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { serviceUrls } from './services.js';

export interface TestApp {
  app: App;
  database: TestDatabase;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A fully wired app on a fresh, migrated database of `dialect`; close() also drops the database. */
export async function createTestApp(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: CreateAppOptions = {},
): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const fullEnv = { DATABASE_URL: database.url, ...env };
  const app = await createApp(testConfig(fullEnv), options);
  await app.migrations.migrate({ force: true });
  return {
    app,
    database,
    env: fullEnv,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** A Redis key prefix of its own for one suite, and how to delete everything under it afterwards. */
export function redisTestPrefix(url = serviceUrls.redis): { prefix: string; url: string; clean(): Promise<void> } {
  const prefix = `inkstone-t-${randomBytes(4).toString('hex')}:`;
  return {
    prefix,
    url,
    async clean() {
      const redis = new Redis(url);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** Polls `check` until it returns true, or fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
