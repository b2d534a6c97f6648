import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createApp, type App } from '../../src/app.js';
import { createLogging } from '../../src/adapters/log/logger.js';
import { startWebRole, type WebRole } from '../../src/http/web-role.js';
import { loadConfig } from '../../src/config/index.js';

export interface RunningApp {
  app: App;
  web: WebRole;
  url: string;
  storageDir: string;
  /** Every log line the app wrote to its stdout channel so far. */
  logLines(): string[];
  /** Waits (up to 5 s) for a log entry matching `match`: request lines are written after the response is sent. */
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
  await app.migrations.migrate({ force: true });
  const web = await startWebRole(app, { host: '127.0.0.1', port: 0 }, routes);
  return {
    app,
    web,
    url: web.url,
    storageDir,
    logLines: () => captured.split('\n').filter((l) => l !== ''),
    async waitForLog(match) {
      const until = Date.now() + 5000;
      for (;;) {
        const found = captured
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>)
          .find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error('no matching log line within 5 s');
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
