import { loadConfig, type Config } from '../config/index.js';
import { createApp, type App, type CreateAppOptions } from '../app.js';
import { createLogging } from '../adapters/log/logger.js';
import type { CliIO } from './io.js';

/** Loads and validates the config (only now, so `--help` works without one). `overrides` are env-style values. */
export function configFrom(io: CliIO, overrides: Record<string, string | undefined> = {}): Config {
  const env = { ...io.env };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) env[k] = v;
  return loadConfig({ env, cwd: io.cwd });
}

/**
 * Runs a one-shot command against a fully wired app and closes it afterwards. One-shot commands log only
 * warnings and errors (to stderr), so their stdout stays the command's own output. They run without the
 * per-statement budget (DATABASE_QUERY_TIMEOUT_MS) unless the caller asks for one: migrations, db:optimize or a
 * content import may rightly take longer than a request, and an operator (or the scheduler) is there to stop them.
 */
export async function withApp<T>(
  io: CliIO,
  fn: (app: App) => Promise<T>,
  options: CreateAppOptions & { overrides?: Record<string, string | undefined> } = {},
): Promise<T> {
  const config = configFrom(io, options.overrides);
  const logging =
    options.logging ??
    createLogging({ ...config, log: { ...config.log, level: quietLevel(config) } }, { stdout: io.stderr });
  const app = await createApp(config, { queryTimeoutMs: 0, ...options, logging });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

function quietLevel(config: Config): Config['log']['level'] {
  const order = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
  return order.indexOf(config.log.level) > order.indexOf('warn') ? config.log.level : 'warn';
}
