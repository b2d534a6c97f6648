import type { Config } from './config/index.js';
import { createLogger, type Logger } from './adapters/log/logger.js';
import { createDatabase, type Database } from './adapters/db/database.js';
import { Migrator, type MigratorEvent } from './adapters/db/migrator.js';
import { migrations } from './adapters/db/migrations/index.js';
import { createMigrationService, type MigrationService } from './services/migrations.js';
import { readVersionInfo, type VersionInfo } from './version.js';
import { checkIntegrity, optimize, ping } from './adapters/db/maintenance.js';
import type { DatabaseTools } from './services/database-check.js';
import { systemClock, type Clock } from './adapters/clock.js';
import type { QueueDriver } from './adapters/queue/queue-port.js';
import { createDatabaseQueue } from './adapters/queue/database-queue.js';
import { createBullmqQueue } from './adapters/queue/bullmq-queue.js';
import type { Cache } from './adapters/cache/cache-port.js';
import { createMemoryCache } from './adapters/cache/memory-cache.js';
import { createRedisCache } from './adapters/cache/redis-cache.js';
import { createSmtpMailer, type Mailer } from './adapters/mail/mailer.js';
import { createScheduleRunStore, type ScheduleRunStore } from './adapters/db/repositories/schedule-runs.js';
import type { JobHandler, JobHandlers } from './jobs/handlers.js';
import { createJobHandlers } from './jobs/index.js';

/**
 * The composition root: config -> adapters -> services. Every process role (web, worker, scheduler, one-shot
 * commands) starts here, so they all run on the same wiring. No module holds state; everything hangs off App.
 */
export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly version: VersionInfo;
  readonly migrations: MigrationService;
  readonly dbTools: DatabaseTools;
  readonly clock: Clock;
  readonly queue: QueueDriver;
  readonly jobs: JobHandlers;
  readonly cache: Cache;
  /** Undefined when MAIL_URL is not set. */
  readonly mailer: Mailer | undefined;
  readonly scheduleRuns: ScheduleRunStore;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  logger?: Logger;
  onMigratorEvent?: (event: MigratorEvent) => void;
  /** Tests drive time through this; everything else gets the system clock. */
  clock?: Clock;
  /** Handlers added to the built-in jobs (tests and benches add their own job kinds). */
  extraJobs?: ReadonlyMap<string, JobHandler>;
}

export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config);
  const db = await createDatabase(config);
  const target = config.database.primary;
  const migrator = new Migrator({
    db: db.primary,
    dialect: db.dialect,
    databaseName: target.dialect === 'sqlite' ? target.file : target.database,
    migrations,
    lockTimeoutMs: config.database.migrationLockTimeoutMs,
    onEvent: options.onMigratorEvent,
  });
  const clock = options.clock ?? systemClock;
  const queue =
    config.queue.driver === 'redis' && config.redisUrl !== undefined
      ? createBullmqQueue({
          redisUrl: config.redisUrl,
          redisPrefix: config.redisPrefix,
          clock,
          retryAfterMs: config.queue.retryAfterMs,
          logger,
        })
      : createDatabaseQueue({ db: db.primary, dialect: db.dialect, clock, retryAfterMs: config.queue.retryAfterMs });
  const cache =
    config.redisUrl !== undefined
      ? createRedisCache({ url: config.redisUrl, prefix: config.redisPrefix, logger })
      : createMemoryCache();
  const mailer =
    config.mail.url !== undefined ? createSmtpMailer({ url: config.mail.url, from: config.mail.from }) : undefined;
  const jobs = new Map(
    createJobHandlers({ db: db.primary, clock, logger, mailer, appUrl: config.appUrl, queueDriver: queue.name }),
  );
  for (const [name, handler] of options.extraJobs ?? []) jobs.set(name, handler);
  let closed = false;
  return {
    config,
    logger,
    db,
    version: readVersionInfo(),
    migrations: createMigrationService({ migrator, env: config.env }),
    dbTools: {
      dialect: db.dialect,
      ping: () => ping(db.primary),
      checkIntegrity: () => checkIntegrity(db.primary, db.dialect),
      optimize: () => optimize(db.primary, db.dialect),
    },
    clock,
    queue,
    jobs,
    cache,
    mailer,
    scheduleRuns: createScheduleRunStore(db.primary, db.dialect),
    async close() {
      if (closed) return;
      closed = true;
      mailer?.close();
      await Promise.all([queue.close(), cache.close()]);
      await db.destroy();
    },
  };
}
