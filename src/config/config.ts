import { isAbsolute, resolve } from 'node:path';
import type { Env } from './env-schema.js';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.js';
import { ConfigError } from './config-error.js';

export { ConfigError };

export type AppEnv = Env['APP_ENV'];

/** The validated settings the whole program runs on. Built once at start; frozen. */
export interface Config {
  readonly env: AppEnv;
  readonly appName: string;
  /** Public base URL (no trailing slash); defaults to the listen address. */
  readonly appUrl: string;
  readonly appKey: string | undefined;
  readonly http: { readonly host: string; readonly port: number };
  readonly database: {
    readonly primary: DatabaseTarget;
    readonly replica: DatabaseTarget | undefined;
    readonly poolMax: number;
    /** Run pending migrations when `serve` starts (default: on, except in production). */
    readonly autoMigrate: boolean;
    readonly migrationLockTimeoutMs: number;
  };
  readonly storageDir: string;
  readonly log: { readonly level: Env['LOG_LEVEL'] };
  readonly shutdownTimeoutMs: number;
  readonly redisUrl: string | undefined;
  readonly backup: BackupConfig;
}

export interface BackupConfig {
  /** Key material for AES-256-GCM (scrypt); without it parts are stored unencrypted and `.env` is left out. */
  readonly password: string | undefined;
  readonly destinations: readonly ('local' | 's3')[];
  readonly localDir: string;
  /** Keep writing to the other destinations when one fails (the set then lists only those that succeeded). */
  readonly continueOnFailure: boolean;
  readonly s3: {
    readonly bucket: string | undefined;
    readonly prefix: string;
    readonly region: string;
    readonly endpoint: string | undefined;
    readonly accessKeyId: string | undefined;
    readonly secretAccessKey: string | undefined;
    readonly forcePathStyle: boolean;
  };
  readonly envFile: string;
  readonly maxAgeMs: number;
  readonly maxBytes: number;
  readonly notifyUrl: string | undefined;
}

function durationMs(value: string): number {
  const n = Number(value.slice(0, -1));
  const unit = value.slice(-1);
  return n * (unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000);
}

function buildBackupConfig(env: Env, cwd: string, storageDir: string): BackupConfig {
  const destinations = [...new Set(env.BACKUP_DESTINATIONS.split(',').map((d) => d.trim()))] as ('local' | 's3')[];
  if (destinations.includes('s3') && env.BACKUP_S3_BUCKET === undefined) {
    throw new ConfigError('BACKUP_S3_BUCKET', 'expected a bucket name when BACKUP_DESTINATIONS includes s3');
  }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return Object.freeze({
    password: env.BACKUP_PASSWORD,
    destinations: Object.freeze(destinations),
    localDir: env.BACKUP_LOCAL_DIR === undefined ? resolve(storageDir, 'backups') : abs(env.BACKUP_LOCAL_DIR),
    continueOnFailure: env.BACKUP_CONTINUE_ON_FAILURE,
    s3: Object.freeze({
      bucket: env.BACKUP_S3_BUCKET,
      prefix: env.BACKUP_S3_PREFIX.replace(/^\/+|\/+$/g, ''),
      region: env.BACKUP_S3_REGION,
      endpoint: env.BACKUP_S3_ENDPOINT,
      accessKeyId: env.BACKUP_S3_ACCESS_KEY_ID,
      secretAccessKey: env.BACKUP_S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.BACKUP_S3_FORCE_PATH_STYLE,
    }),
    envFile: abs(env.BACKUP_ENV_FILE),
    maxAgeMs: durationMs(env.BACKUP_MAX_AGE),
    maxBytes: env.BACKUP_MAX_MB * 1024 * 1024,
    notifyUrl: env.BACKUP_NOTIFY_URL,
  });
}

export function buildConfig(env: Env, cwd: string): Config {
  const primary = parseDatabaseUrl('DATABASE_URL', env.DATABASE_URL, cwd);
  const replica =
    env.DATABASE_READ_URL === undefined ? undefined : parseDatabaseUrl('DATABASE_READ_URL', env.DATABASE_READ_URL, cwd);
  if (replica && replica.dialect !== primary.dialect) {
    throw new ConfigError(
      'DATABASE_READ_URL',
      `expected a ${primary.dialect} URL like DATABASE_URL, got ${replica.dialect}`,
    );
  }
  if (replica && primary.dialect === 'sqlite') {
    throw new ConfigError('DATABASE_READ_URL', 'expected no read replica with SQLite (one file has no replica)');
  }
  const storageDir = isAbsolute(env.STORAGE_DIR) ? env.STORAGE_DIR : resolve(cwd, env.STORAGE_DIR);
  const displayHost = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  const appUrl = (env.APP_URL ?? `http://${displayHost}:${env.PORT}`).replace(/\/+$/, '');
  if (env.APP_ENV === 'production' && (env.APP_KEY === undefined || env.APP_KEY.length < 32)) {
    throw new ConfigError('APP_KEY', 'expected a secret of at least 32 characters in production');
  }
  return Object.freeze({
    env: env.APP_ENV,
    appName: env.APP_NAME,
    appUrl,
    appKey: env.APP_KEY,
    http: Object.freeze({ host: env.HOST, port: env.PORT }),
    database: Object.freeze({
      primary,
      replica,
      poolMax: env.DATABASE_POOL_MAX,
      autoMigrate: env.AUTO_MIGRATE ?? env.APP_ENV !== 'production',
      migrationLockTimeoutMs: env.MIGRATION_LOCK_TIMEOUT_MS,
    }),
    storageDir,
    log: Object.freeze({ level: env.LOG_LEVEL }),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    redisUrl: env.REDIS_URL,
    backup: buildBackupConfig(env, cwd, storageDir),
  });
}
