import { z } from 'zod';

// Every environment variable Inkstone reads, with its default and what a valid value looks like.
// `.env.example` documents the same list; test/config/env-example.test.ts keeps the two in step.

const port = z.coerce
  .number({ error: 'expected a port number (1-65535)' })
  .int('expected a port number (1-65535)')
  .min(1, 'expected a port number (1-65535)')
  .max(65535, 'expected a port number (1-65535)');

const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
    error: 'expected true or false',
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

export const envSchema = z.object({
  APP_ENV: z.enum(['development', 'production', 'test'], {
    error: 'expected development, production or test',
  }),
  APP_NAME: z.string().min(1, 'expected a non-empty name').default('Inkstone'),
  APP_URL: z.url({ error: 'expected an absolute URL such as https://blog.example.com' }).optional(),
  APP_KEY: optionalString,
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  TRUST_PROXY: z.string().min(1).default('loopback,uniquelocal'),
  HTTP_CACHE: bool.default(true),
  CACHE_MEMORY_MB: positiveInt('a whole number of megabytes above 0').default(64),
  DATABASE_URL: z.string().default('sqlite:./storage/inkstone.sqlite'),
  DATABASE_READ_URL: optionalString,
  DATABASE_POOL_MAX: positiveInt('a whole number of connections above 0').default(10),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce
    .number({ error: 'expected a number of milliseconds (0 turns the budget off)' })
    .int('expected a number of milliseconds (0 turns the budget off)')
    .min(0, 'expected a number of milliseconds (0 turns the budget off)')
    .default(10_000),
  AUTO_MIGRATE: bool.optional(),
  STORAGE_DIR: z.string().min(1).default('./storage'),

  // --- media uploads ---
  MEDIA_MAX_BYTES: positiveInt('a number of bytes above 0').default(10 * 1024 * 1024),
  MEDIA_PUBLIC_URL: z.string().min(1).default('/media'),
  MEDIA_DRIVER: z.enum(['local', 's3'], { error: 'expected local or s3' }).default('local'),
  MEDIA_S3_BUCKET: optionalString,
  MEDIA_S3_REGION: z.string().min(1).default('us-east-1'),
  MEDIA_S3_ENDPOINT: z.url({ error: 'expected a URL such as http://127.0.0.1:9000' }).optional(),
  MEDIA_S3_ACCESS_KEY_ID: optionalString,
  MEDIA_S3_SECRET_ACCESS_KEY: optionalString,
  MEDIA_S3_FORCE_PATH_STYLE: bool.default(false),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  SHUTDOWN_TIMEOUT_MS: positiveInt('a number of milliseconds above 0').default(10_000),
  MIGRATION_LOCK_TIMEOUT_MS: positiveInt('a number of milliseconds above 0').default(60_000),
  REDIS_URL: optionalString,

  // --- observability (logs, metrics, alerts, health) ---
  LOG_CHANNELS: z
    .string()
    .default('stdout,daily')
    .transform((v) =>
      v
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    )
    .pipe(
      z.array(
        z.enum(['stdout', 'daily', 'slack'], { error: 'expected a comma-separated list of stdout, daily, slack' }),
      ),
    ),
  LOG_DAILY_DAYS: positiveInt('a number of days above 0').default(14),
  LOG_SLACK_WEBHOOK_URL: z.url({ error: 'expected the https URL of a Slack incoming webhook' }).optional(),
  LOG_SLACK_BATCH_MS: positiveInt('a number of milliseconds above 0').default(10_000),
  SLOW_REQUEST_MS: positiveInt('a number of milliseconds above 0').default(1000),
  METRICS_TOKEN: optionalString,
  METRICS_ALLOW: z
    .string()
    .default('127.0.0.1,::1')
    .transform((v) =>
      v
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    ),
  ALERT_WEBHOOK_URL: z
    .url({ error: 'expected the URL of a Slack incoming webhook or a generic JSON webhook' })
    .optional(),
  ALERT_EVAL_INTERVAL_MS: positiveInt('a number of milliseconds above 0').default(30_000),
  ALERT_WINDOW_MS: positiveInt('a number of milliseconds above 0').default(300_000),
  ALERT_REPEAT_MS: positiveInt('a number of milliseconds above 0').default(3_600_000),
  ALERT_ERROR_RATE_PERCENT: z.coerce.number({ error: 'expected a percentage' }).min(0).max(100).default(5),
  ALERT_LATENCY_MS: positiveInt('a number of milliseconds above 0').default(1000),
  ALERT_CPU_PERCENT: z.coerce.number({ error: 'expected a percentage' }).min(0).max(100).default(80),
  ALERT_MEMORY_PERCENT: z.coerce.number({ error: 'expected a percentage' }).min(0).max(100).default(80),
  HEALTH_CHECK_TIMEOUT_MS: positiveInt('a number of milliseconds above 0').default(1000),
  HEALTH_MIN_FREE_DISK_MB: positiveInt('a number of megabytes above 0').default(1024),
  SESSION_TTL_HOURS: positiveInt('a whole number of hours above 0').default(336),
  LOGIN_MAX_ATTEMPTS_PER_IP: positiveInt('a whole number above 0').default(20),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt('a whole number above 0').default(5),
  LOGIN_RATE_WINDOW_SECONDS: positiveInt('a whole number of seconds above 0').default(900),
  COMMENT_MAX_PER_IP: positiveInt('a whole number above 0').default(5),
  COMMENT_RATE_WINDOW_SECONDS: positiveInt('a whole number of seconds above 0').default(600),
  REDIS_PREFIX: z.string().min(1, 'expected a non-empty key prefix').default('inkstone:'),
  QUEUE_DRIVER: z.enum(['database', 'redis'], { error: 'expected database or redis' }).default('database'),
  QUEUE_TIMEOUT: positiveInt('a number of seconds above 0').default(60),
  QUEUE_RETRY_AFTER: positiveInt('a number of seconds above 0').default(90),
  SCHEDULE_TIMEZONE: z
    .string()
    .default('UTC')
    .refine((tz) => isTimeZone(tz), { error: 'expected an IANA time zone such as UTC or Asia/Shanghai' }),
  MAIL_URL: optionalString,
  MAIL_FROM: z.string().min(3, 'expected a sender address').default('Inkstone <no-reply@localhost>'),
  LOG_DIR: optionalString,
  BACKUP_PASSWORD: optionalString,
  BACKUP_DESTINATIONS: z
    .string()
    .regex(/^\s*(local|s3)(\s*,\s*(local|s3))*\s*$/, 'expected local, s3 or local,s3')
    .default('local'),
  BACKUP_LOCAL_DIR: optionalString,
  BACKUP_CONTINUE_ON_FAILURE: bool.default(false),
  BACKUP_S3_BUCKET: optionalString,
  BACKUP_S3_PREFIX: z.string().default('backups'),
  BACKUP_S3_REGION: z.string().min(1).default('us-east-1'),
  BACKUP_S3_ENDPOINT: z
    .url({ error: 'expected an absolute URL such as https://oss-cn-hangzhou.aliyuncs.com' })
    .optional(),
  BACKUP_S3_ACCESS_KEY_ID: optionalString,
  BACKUP_S3_SECRET_ACCESS_KEY: optionalString,
  BACKUP_S3_FORCE_PATH_STYLE: bool.default(false),
  BACKUP_ENV_FILE: z.string().min(1).default('.env'),
  BACKUP_MAX_AGE: z
    .string()
    .regex(/^\d+(m|h|d)$/, 'expected a duration such as 90m, 36h or 1d')
    .default('1d'),
  BACKUP_MAX_MB: positiveInt('a whole number of megabytes above 0').default(50_000),
  BACKUP_NOTIFY_URL: z.url({ error: 'expected an absolute URL (a Slack incoming webhook or any webhook)' }).optional(),
});

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export type Env = z.infer<typeof envSchema>;
