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
  DATABASE_URL: z.string().default('sqlite:./storage/inkstone.sqlite'),
  DATABASE_READ_URL: optionalString,
  DATABASE_POOL_MAX: positiveInt('a whole number of connections above 0').default(10),
  AUTO_MIGRATE: bool.optional(),
  STORAGE_DIR: z.string().min(1).default('./storage'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  SHUTDOWN_TIMEOUT_MS: positiveInt('a number of milliseconds above 0').default(10_000),
  MIGRATION_LOCK_TIMEOUT_MS: positiveInt('a number of milliseconds above 0').default(60_000),
  REDIS_URL: optionalString,
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

export type Env = z.infer<typeof envSchema>;
