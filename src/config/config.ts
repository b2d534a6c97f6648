import { isAbsolute, join, resolve } from 'node:path';
import type { Env } from './env-schema.js';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.js';
import { ConfigError } from './config-error.js';

export { ConfigError };

export type AppEnv = Env['APP_ENV'];

/** The validated settings the whole program runs on. Built once at start; frozen. */
export interface MediaConfig {
  /** Uploads larger than this are refused with 413. */
  readonly maxBytes: number;
  /** Where a stored key is served from: `${publicUrl}/${key}` (the app's /media route, or a CDN/bucket URL). */
  readonly publicUrl: string;
  /** Where uploads are stored: a directory (`${storageDir}/app/public`) or an S3-compatible bucket. */
  readonly driver: 'local' | 's3';
  readonly localDir: string;
  readonly s3: {
    readonly bucket: string | undefined;
    readonly region: string;
    readonly endpoint: string | undefined;
    readonly accessKeyId: string | undefined;
    readonly secretAccessKey: string | undefined;
    readonly forcePathStyle: boolean;
  };
}

export interface Config {
  readonly env: AppEnv;
  readonly appName: string;
  /** Public base URL (no trailing slash); defaults to the listen address. */
  readonly appUrl: string;
  readonly appKey: string | undefined;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly trustProxy: string;
    /** Keep rendered pages and anonymous API reads in the cache port (off: render every request). */
    readonly cache: boolean;
  };
  readonly database: {
    readonly primary: DatabaseTarget;
    readonly replica: DatabaseTarget | undefined;
    readonly poolMax: number;
    /**
     * Budget of one statement on the connections that serve requests (0: none). Migrations, backups and one-shot
     * commands open theirs without it.
     */
    readonly queryTimeoutMs: number;
    /** Run pending migrations when `serve` starts (default: on, except in production). */
    readonly autoMigrate: boolean;
    readonly migrationLockTimeoutMs: number;
  };
  readonly storageDir: string;
  readonly media: MediaConfig;
  readonly log: {
    readonly level: Env['LOG_LEVEL'];
    readonly channels: readonly ('stdout' | 'daily' | 'slack')[];
    readonly dailyDays: number;
    readonly slackWebhookUrl: string | undefined;
    readonly slackBatchMs: number;
    /** Directory of the daily files: LOG_DIR, default `<storage>/logs` (log:clear prunes it). */
    readonly dir: string;
  };
  readonly observability: {
    readonly slowRequestMs: number;
    readonly metricsToken: string | undefined;
    readonly metricsAllow: readonly string[];
    readonly alerts: {
      readonly webhookUrl: string | undefined;
      readonly evalIntervalMs: number;
      readonly windowMs: number;
      readonly repeatMs: number;
      readonly errorRatePercent: number;
      readonly latencyMs: number;
      readonly cpuPercent: number;
      readonly memoryPercent: number;
    };
    readonly health: { readonly checkTimeoutMs: number; readonly minFreeDiskMb: number };
  };
  readonly shutdownTimeoutMs: number;
  readonly redisUrl: string | undefined;
  readonly auth: {
    readonly sessionTtlMs: number;
    /** Cookies get the Secure flag (production: the site is served over HTTPS). */
    readonly secureCookies: boolean;
    readonly login: { readonly maxPerIp: number; readonly maxFailuresPerAccount: number; readonly windowMs: number };
  };
  readonly comments: { readonly maxPerIp: number; readonly windowMs: number };
  /** Prepended to every Redis key Inkstone writes (queue and cache), so blogs can share one Redis. */
  readonly redisPrefix: string;
  /** The in-process cache's bound (CACHE_MEMORY_MB), used when there is no Redis. */
  readonly cacheMemoryBytes: number;
  readonly queue: {
    readonly driver: 'database' | 'redis';
    /** A job running longer than this fails its attempt. */
    readonly timeoutMs: number;
    /** A reserved job whose worker stopped answering is handed out again after this long. */
    readonly retryAfterMs: number;
  };
  readonly schedule: { readonly timezone: string };
  readonly mail: { readonly url: string | undefined; readonly from: string };
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
  if (env.LOG_CHANNELS.includes('slack') && env.LOG_SLACK_WEBHOOK_URL === undefined) {
    throw new ConfigError('LOG_SLACK_WEBHOOK_URL', 'expected a webhook URL when LOG_CHANNELS includes slack');
  }
  if (env.QUEUE_DRIVER === 'redis' && env.REDIS_URL === undefined) {
    throw new ConfigError('QUEUE_DRIVER', 'expected REDIS_URL to be set too when QUEUE_DRIVER=redis');
  }
  if (env.QUEUE_RETRY_AFTER <= env.QUEUE_TIMEOUT) {
    throw new ConfigError(
      'QUEUE_RETRY_AFTER',
      `expected more seconds than QUEUE_TIMEOUT (${env.QUEUE_TIMEOUT}), or a slow job would be handed out twice`,
    );
  }
  if (env.MEDIA_DRIVER === 's3' && env.MEDIA_S3_BUCKET === undefined) {
    throw new ConfigError('MEDIA_S3_BUCKET', 'expected a bucket name when MEDIA_DRIVER=s3');
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
    http: Object.freeze({ host: env.HOST, port: env.PORT, trustProxy: env.TRUST_PROXY, cache: env.HTTP_CACHE }),
    cacheMemoryBytes: env.CACHE_MEMORY_MB * 1024 * 1024,
    database: Object.freeze({
      primary,
      replica,
      poolMax: env.DATABASE_POOL_MAX,
      queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_MS,
      autoMigrate: env.AUTO_MIGRATE ?? env.APP_ENV !== 'production',
      migrationLockTimeoutMs: env.MIGRATION_LOCK_TIMEOUT_MS,
    }),
    storageDir,
    media: Object.freeze({
      maxBytes: env.MEDIA_MAX_BYTES,
      publicUrl: env.MEDIA_PUBLIC_URL.replace(/\/+$/, ''),
      driver: env.MEDIA_DRIVER,
      localDir: join(storageDir, 'app', 'public'),
      s3: Object.freeze({
        bucket: env.MEDIA_S3_BUCKET,
        region: env.MEDIA_S3_REGION,
        endpoint: env.MEDIA_S3_ENDPOINT,
        accessKeyId: env.MEDIA_S3_ACCESS_KEY_ID,
        secretAccessKey: env.MEDIA_S3_SECRET_ACCESS_KEY,
        forcePathStyle: env.MEDIA_S3_FORCE_PATH_STYLE,
      }),
    }),
    log: Object.freeze({
      level: env.LOG_LEVEL,
      channels: Object.freeze([...new Set(env.LOG_CHANNELS)]),
      dailyDays: env.LOG_DAILY_DAYS,
      slackWebhookUrl: env.LOG_SLACK_WEBHOOK_URL,
      slackBatchMs: env.LOG_SLACK_BATCH_MS,
      dir: env.LOG_DIR === undefined ? join(storageDir, 'logs') : resolve(cwd, env.LOG_DIR),
    }),
    observability: Object.freeze({
      slowRequestMs: env.SLOW_REQUEST_MS,
      metricsToken: env.METRICS_TOKEN,
      metricsAllow: Object.freeze(env.METRICS_ALLOW),
      alerts: Object.freeze({
        webhookUrl: env.ALERT_WEBHOOK_URL,
        evalIntervalMs: env.ALERT_EVAL_INTERVAL_MS,
        windowMs: env.ALERT_WINDOW_MS,
        repeatMs: env.ALERT_REPEAT_MS,
        errorRatePercent: env.ALERT_ERROR_RATE_PERCENT,
        latencyMs: env.ALERT_LATENCY_MS,
        cpuPercent: env.ALERT_CPU_PERCENT,
        memoryPercent: env.ALERT_MEMORY_PERCENT,
      }),
      health: Object.freeze({
        checkTimeoutMs: env.HEALTH_CHECK_TIMEOUT_MS,
        minFreeDiskMb: env.HEALTH_MIN_FREE_DISK_MB,
      }),
    }),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    redisUrl: env.REDIS_URL,
    auth: Object.freeze({
      sessionTtlMs: env.SESSION_TTL_HOURS * 3_600_000,
      secureCookies: env.APP_ENV === 'production',
      login: Object.freeze({
        maxPerIp: env.LOGIN_MAX_ATTEMPTS_PER_IP,
        maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
        windowMs: env.LOGIN_RATE_WINDOW_SECONDS * 1000,
      }),
    }),
    comments: Object.freeze({ maxPerIp: env.COMMENT_MAX_PER_IP, windowMs: env.COMMENT_RATE_WINDOW_SECONDS * 1000 }),
    redisPrefix: env.REDIS_PREFIX,
    queue: Object.freeze({
      driver: env.QUEUE_DRIVER,
      timeoutMs: env.QUEUE_TIMEOUT * 1000,
      retryAfterMs: env.QUEUE_RETRY_AFTER * 1000,
    }),
    schedule: Object.freeze({ timezone: env.SCHEDULE_TIMEZONE }),
    mail: Object.freeze({ url: env.MAIL_URL, from: env.MAIL_FROM }),
    backup: buildBackupConfig(env, cwd, storageDir),
  });
}
