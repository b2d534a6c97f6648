import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Dialect } from '../../src/config/index.js';
import { loadConfig } from '../../src/config/index.js';
import { createApp, type App, type CreateAppOptions } from '../../src/app.js';
import { createLogging } from '../../src/adapters/log/logger.js';
import { startWebRole, type WebRole } from '../../src/http/web-role.js';
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

export interface RunningApp {
  app: App;
  web: WebRole;
  url: string;
  storageDir: string;
  /** Every log line the app wrote to its stdout channel so far. */
  logLines(): string[];
  /** Waits (up to 15 s) for a log entry matching `match`: request lines are written after the response is sent. */
  waitForLog(match: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * The real composition root and web role on a random loopback port, with a private storage dir and the stdout
 * log channel captured. `env` is the whole environment the app sees (plus test defaults).
 */
export async function startTestApp(
  env: Record<string, string | undefined> = {},
  routes?: (server: FastifyInstance) => void,
  options: {
    /** Run the migrations before listening (default); off for a database that cannot answer. */ migrate?: boolean;
  } = {},
): Promise<RunningApp> {
  const storageDir = mkdtempSync(join(tmpdir(), 'inkstone-app-'));
  const config = loadConfig({
    env: {
      APP_ENV: 'test',
      LOG_CHANNELS: 'stdout',
      LOG_LEVEL: 'info',
      STORAGE_DIR: storageDir,
      DATABASE_URL: `sqlite:${join(storageDir, 'db.sqlite')}`,
      HEALTH_MIN_FREE_DISK_MB: '1',
      ...env,
    },
    cwd: storageDir,
    envFile: '/dev/null',
  });
  const out = new PassThrough();
  let captured = '';
  out.on('data', (d: Buffer) => (captured += d.toString()));
  const logging = createLogging(config, { stdout: out });
  const app = await createApp(config, { logging });
  if (options.migrate !== false) await app.migrations.migrate({ force: true });
  const web = await startWebRole(app, { host: '127.0.0.1', port: 0 }, routes);
  return {
    app,
    web,
    url: web.url,
    storageDir,
    logLines: () => captured.split('\n').filter((l) => l !== ''),
    async waitForLog(match) {
      const until = Date.now() + 15_000;
      for (;;) {
        const found = captured
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error('no matching log line within 15 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await web.drain();
      await app.close();
      rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
