import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { envSchema } from './env-schema.js';
import { buildConfig, type Config } from './config.js';
import { ConfigError } from './config-error.js';

export interface LoadConfigOptions {
  /** The process environment (the only place Inkstone reads it is the CLI entry point). */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** A `.env`-style file; values in `env` win over it. Default: `<cwd>/.env` when it exists, or `ENV_FILE`. */
  envFile?: string;
}

/** Reads the environment (plus an optional .env file), validates it once and returns the frozen Config. */
export function loadConfig(options: LoadConfigOptions): Config {
  const fileVars = readEnvFile(options);
  const merged: Record<string, string | undefined> = { ...fileVars, ...options.env };
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  merged.APP_ENV ??= 'development';
  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const got = merged[variable];
    const shown = got === undefined ? '' : ` (got "${got.length > 60 ? `${got.slice(0, 57)}...` : got}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  return buildConfig(parsed.data, options.cwd);
}

function readEnvFile(options: LoadConfigOptions): Record<string, string> {
  const explicit = options.envFile ?? options.env.ENV_FILE;
  const path = resolve(options.cwd, explicit ?? '.env');
  if (!existsSync(path)) {
    if (explicit !== undefined) throw new ConfigError('ENV_FILE', `expected a readable file, ${path} does not exist`);
    return {};
  }
  try {
    return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch (err) {
    throw new ConfigError('ENV_FILE', `expected a readable .env file at ${path}: ${(err as Error).message}`);
  }
}
