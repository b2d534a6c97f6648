import type { Redis } from 'ioredis';
import type { Config } from './config/index.js';
import { createLogging, type Logger, type Logging } from './adapters/log/logger.js';
import { createDatabase, type Database } from './adapters/db/database.js';
import { Migrator, type MigratorEvent } from './adapters/db/migrator.js';
import { migrations } from './adapters/db/migrations/index.js';
import { checkIntegrity, optimize, ping } from './adapters/db/maintenance.js';
import { createMetrics, type Metrics } from './adapters/metrics/metrics.js';
import { createHostStats } from './adapters/system/host-stats.js';
import { createWebhookAlertChannel } from './adapters/notify/alert-webhook.js';
import { createMigrationService, type MigrationService } from './services/migrations.js';
import type { DatabaseTools } from './services/database-check.js';
import { AlertEngine, type AlertRule } from './ops/alerts/engine.js';
import { RequestWindow } from './ops/alerts/request-window.js';
import { TrafficHistory } from './ops/dashboard/traffic-history.js';
import { RecentRequests } from './ops/dashboard/recent-requests.js';
import { createOpsConsole, type OpsConsole } from './ops/dashboard/ops-console.js';
import { cpuRule, errorRateRule, latencyRule, memoryRule } from './ops/alerts/rules.js';
import { runHealthChecks, type HealthCheck, type HealthReport } from './ops/health/checks.js';
import { databaseCheck, diskCheck, redisCheck } from './ops/health/standard-checks.js';
import {
  backupAgeRule,
  backupsCheck,
  failedJobsGrowingRule,
  queueBacklogRule,
  queueCheck,
  registerOpsGauges,
  schedulerCheck,
} from './ops/health/ops-signals.js';
import { listBackups } from './ops/backup/maintain.js';
import { sharedBackupReads } from './ops/health/backup-reads.js';
import { readVersionInfo, type VersionInfo } from './version.js';
import { createBlogServices, type BlogServices } from './app-blog.js';
import { systemClock, type Clock } from './adapters/clock.js';
import type { QueueDriver } from './adapters/queue/queue-port.js';
import { createDatabaseQueue } from './adapters/queue/database-queue.js';
import type { Cache } from './adapters/cache/cache-port.js';
import { cacheTagsFor, type ContentChanged } from './services/content-changes.js';
import { createMemoryCache } from './adapters/cache/memory-cache.js';
import type { Mailer } from './adapters/mail/mailer.js';
import { createScheduleRunStore, type ScheduleRunStore } from './adapters/db/repositories/schedule-runs.js';
import type { JobHandler, JobHandlers } from './jobs/handlers.js';
import { commentNotificationJob, createJobHandlers } from './jobs/index.js';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { BackupDeps, DatabasePort } from './ops/backup/deps.js';
import { createLocalDestination } from './adapters/storage/local-destination.js';
import { createS3Destination } from './adapters/storage/s3-destination.js';
import type { Destination } from './adapters/storage/destination.js';
import { createSqliteDumper } from './adapters/dump/sqlite-dumper.js';
import { createMysqlDumper } from './adapters/dump/mysql-dumper.js';
import { createPostgresDumper } from './adapters/dump/postgres-dumper.js';
import { inspectDatabase } from './adapters/dump/inspect.js';
import { createEnvFile, createStorageFiles } from './adapters/storage/storage-files.js';
import { createRedisSnapshot } from './adapters/process/redis-snapshot.js';
import { createRedisRestore } from './adapters/process/redis-restore.js';
import { tryHostLock, type TryLock } from './adapters/storage/host-lock.js';
import { tryServerLock } from './adapters/db/named-lock.js';
import { binlogStage } from './adapters/process/binlog-stage.js';
import { zstdCompress, zstdDecompress } from './adapters/process/zstd.js';
import { decryptStream, encryptStream, keyFor, newKey } from './adapters/crypto/part-cipher.js';
import { createWebhookNotifier } from './adapters/notify/webhook.js';
import type { MediaStorage } from './adapters/media-storage/media-storage.js';
import { createLocalMediaStorage } from './adapters/media-storage/local-media-storage.js';
import { createS3MediaStorage } from './adapters/media-storage/s3-media-storage.js';
import { createSharpImageTools } from './adapters/media-storage/image-tools.js';
import { createMediaRepository } from './adapters/db/repositories/media.js';
import { createMediaService, type MediaService } from './services/media/media-service.js';
import { mediaVariantsJob } from './jobs/media-variants.js';
import { siteWarmJob } from './jobs/site-warm.js';

/**
 * The composition root: config -> adapters -> services. Every process role (web, worker, scheduler, one-shot
 * commands) starts here, so they all run on the same wiring. No module holds state; everything hangs off App.
 */
export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly redis: Redis | undefined;
  readonly version: VersionInfo;
  readonly migrations: MigrationService;
  readonly dbTools: DatabaseTools;
  readonly metrics: Metrics;
  /** Request outcomes over the alert window (the web role records into it). */
  readonly requests: RequestWindow;
  /** This instance's last hour of requests and its latest failed or slow ones (the ops dashboard reads them). */
  readonly traffic: TrafficHistory;
  readonly recentRequests: RecentRequests;
  /** The ops dashboard's use cases (admins only). */
  readonly ops: OpsConsole;
  readonly alerts: AlertEngine;
  health(): Promise<HealthReport>;
  /** Users, articles, tags, comments, auth: the blog itself. */
  readonly blog: BlogServices;
  readonly clock: Clock;
  readonly queue: QueueDriver;
  readonly jobs: JobHandlers;
  readonly cache: Cache;
  /** Drops every cached page and API read that showed what changed (services call it after their writes). */
  contentChanged: ContentChanged;
  /** Undefined when MAIL_URL is not set. */
  readonly mailer: Mailer | undefined;
  readonly scheduleRuns: ScheduleRunStore;
  /** Uploads: the service the API calls, and the store /media serves files from. */
  readonly media: MediaService;
  readonly mediaStorage: MediaStorage;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** Logging built by the caller (one-shot commands log to stderr); default: the configured channels. */
  logging?: Logging;
  onMigratorEvent?: (event: MigratorEvent) => void;
  /** Extra alert rules and health checks (queue, backups) from the parts that own them. */
  alertRules?: AlertRule[];
  healthChecks?: HealthCheck[];
  /** Tests drive time through this; everything else gets the system clock. */
  clock?: Clock;
  /** Handlers added to the built-in jobs (tests and benches add their own job kinds). */
  extraJobs?: ReadonlyMap<string, JobHandler>;
  /** Each statement's budget on the app's connections; default DATABASE_QUERY_TIMEOUT_MS, 0 for none. */
  queryTimeoutMs?: number;
}

export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<App> {
  const logging = options.logging ?? createLogging(config);
  const logger = logging.logger;
  const metrics = createMetrics();
  const db = await createDatabase(config, {
    onQuery: (kind, ms) => metrics.dbQueryDuration.at(kind).observe(ms / 1000),
    queryTimeoutMs: options.queryTimeoutMs,
  });
  // Loaded only when configured: the embedded default starts without paying for a Redis client.
  const redis = config.redisUrl ? (await import('./adapters/redis/client.js')).createRedis(config.redisUrl) : undefined;
  const target = config.database.primary;
  // Migrations outlast a request's budget (an index on a big table): they never run under it, even at `serve` start.
  const migrator = new Migrator({
    db: db.unbudgeted,
    dialect: db.dialect,
    databaseName: target.dialect === 'sqlite' ? target.file : target.database,
    migrations,
    lockTimeoutMs: config.database.migrationLockTimeoutMs,
    onEvent: options.onMigratorEvent,
  });
  const version = readVersionInfo();
  const dbTools: DatabaseTools = {
    dialect: db.dialect,
    ping: () => ping(db.primary),
    checkIntegrity: () => checkIntegrity(db.unbudgeted, db.dialect),
    optimize: () => optimize(db.unbudgeted, db.dialect),
  };

  // Redis, BullMQ and nodemailer are loaded only when configured: together they cost the embedded default
  // (SQLite, no services) most of a second at start-up.
  const blogRedis = config.redisUrl
    ? (await import('./adapters/redis.js')).createRedisClient(config.redisUrl, logger)
    : undefined;
  const cache =
    config.redisUrl !== undefined
      ? (await import('./adapters/cache/redis-cache.js')).createRedisCache({
          url: config.redisUrl,
          prefix: config.redisPrefix,
          logger,
        })
      : createMemoryCache({ maxBytes: config.cacheMemoryBytes });
  // A cache that cannot be reached costs stale pages until their TTL, never a failed write.
  const contentChanged: ContentChanged = async (change) => {
    try {
      for (const tag of cacheTagsFor(change)) await cache.deleteByTag(tag);
    } catch (err) {
      logger.warn({ err, change }, 'could not drop cached copies of changed content');
    }
    // A comment changes one article page, not the home page or the feeds the warm-up renders; a draft's writes
    // change no public page at all.
    if (change.kind === 'comment' || (change.kind === 'article' && !change.public) || !config.http.cache) return;
    await queue.enqueue(siteWarmJob()).catch((err: unknown) => {
      logger.warn({ err }, 'could not queue the site warm-up');
    });
  };
  const blog = createBlogServices(db, config, undefined, {
    redis: blogRedis,
    cache,
    contentChanged,
    // The comment is saved whatever happens to its notification: a queue that is down costs an email, not a 500.
    commentPosted: (id) =>
      queue.enqueue(commentNotificationJob(id)).then(
        () => undefined,
        (err: unknown) => logger.warn({ err, commentId: id }, 'could not queue the comment notification'),
      ),
  });
  const clock = options.clock ?? systemClock;
  const queue =
    config.queue.driver === 'redis' && config.redisUrl !== undefined
      ? (await import('./adapters/queue/bullmq-queue.js')).createBullmqQueue({
          redisUrl: config.redisUrl,
          redisPrefix: config.redisPrefix,
          clock,
          retryAfterMs: config.queue.retryAfterMs,
          logger,
        })
      : createDatabaseQueue({ db: db.primary, dialect: db.dialect, clock, retryAfterMs: config.queue.retryAfterMs });
  const mailer =
    config.mail.url !== undefined
      ? (await import('./adapters/mail/mailer.js')).createSmtpMailer({ url: config.mail.url, from: config.mail.from })
      : undefined;
  // The S3 driver loads the AWS SDK on its first request, not here: start-up stays fast either way.
  const mediaStorage =
    config.media.driver === 's3'
      ? createS3MediaStorage({ ...config.media.s3, bucket: config.media.s3.bucket ?? '' })
      : createLocalMediaStorage(config.media.localDir);
  const media = createMediaService({
    repo: createMediaRepository(db),
    storage: mediaStorage,
    images: createSharpImageTools(),
    queueVariants: (id) => queue.enqueue(mediaVariantsJob(id)).then(() => undefined),
    now: () => clock.now(),
    randomName: () => randomBytes(16).toString('hex'),
    logger,
    changed: contentChanged,
  });
  const jobs = new Map(
    createJobHandlers({
      media,
      db: db.primary,
      clock,
      logger,
      mailer,
      appUrl: config.appUrl,
      queueDriver: queue.name,
      contentChanged,
      runBackup: async ({ incremental }) => {
        const [{ runBackup }, { reported }, { withBackupLock }] = await Promise.all([
          import('./ops/backup/run-backup.js'),
          import('./ops/backup/report.js'),
          import('./ops/backup/backup-lock.js'),
        ]);
        const deps = createBackupDeps(config, logger);
        await reported(
          deps,
          'backup',
          () => withBackupLock(deps, { what: 'backup:run (dashboard job)' }, () => runBackup(deps, { incremental })),
          (r) => ({ id: r.manifest.id, message: `${r.manifest.kind} backup queued from the dashboard` }),
        );
      },
    }),
  );
  for (const [name, handler] of options.extraJobs ?? []) jobs.set(name, handler);
  const scheduleRuns = createScheduleRunStore(db.primary, db.dialect);
  // Listing backup sets may mean S3 requests: the dashboard, health, alerts and scrapes share one catalog read.
  const backupReads = sharedBackupReads(() => listBackups(createBackupDeps(config, logger)), config.backup);
  const backupMonitor = backupReads.monitor;
  registerOpsGauges(metrics, { queue, runs: scheduleRuns, backups: backupMonitor, now: () => clock.now() });
  // Backups are judged in production only: a development or test install is not expected to have any.
  const production = config.env === 'production';

  const { alerts: alertConfig, health: healthConfig } = config.observability;
  const requests = new RequestWindow(alertConfig.windowMs);
  const host = createHostStats();
  const alerts = new AlertEngine(
    [
      errorRateRule(requests, alertConfig.errorRatePercent),
      latencyRule(requests, alertConfig.latencyMs),
      cpuRule(host, alertConfig.cpuPercent),
      memoryRule(host, alertConfig.memoryPercent),
      queueBacklogRule(queue),
      failedJobsGrowingRule(queue),
      ...(production ? [backupAgeRule(backupMonitor)] : []),
      ...(options.alertRules ?? []),
    ],
    alertConfig.webhookUrl ? [createWebhookAlertChannel(alertConfig.webhookUrl, config.appName)] : [],
    { repeatMs: alertConfig.repeatMs, logger },
  );

  const checks: HealthCheck[] = [
    databaseCheck('database', () => dbTools.ping()),
    ...(db.hasReplica ? [databaseCheck('replica', () => ping(db.reader()))] : []),
    ...(redis ? [redisCheck(redis)] : []),
    diskCheck(config.storageDir, healthConfig.minFreeDiskMb),
    queueCheck(queue),
    schedulerCheck(scheduleRuns, () => clock.now()),
    ...(production ? [backupsCheck(backupMonitor)] : []),
    ...(options.healthChecks ?? []),
  ];

  const traffic = new TrafficHistory();
  const recentRequests = new RecentRequests();
  const health = () =>
    runHealthChecks(checks, {
      timeoutMs: healthConfig.checkTimeoutMs,
      version: version.version,
      commit: version.commit,
    });
  const ops = createOpsConsole({
    health,
    traffic,
    recent: recentRequests,
    queue,
    listBackups: backupReads.list,
    scheduleRuns,
    now: () => clock.now(),
  });

  let closed = false;
  return {
    config,
    logger,
    db,
    redis,
    version,
    migrations: createMigrationService({ migrator, env: config.env }),
    dbTools,
    clock,
    queue,
    jobs,
    cache,
    contentChanged,
    mailer,
    scheduleRuns,
    media,
    mediaStorage,
    blog,
    metrics,
    requests,
    traffic,
    recentRequests,
    ops,
    alerts,
    health,
    async close() {
      if (closed) return;
      closed = true;
      alerts.stop();
      mailer?.close();
      await Promise.all([queue.close(), cache.close()]);
      mediaStorage.close();
      await blog.close();
      redis?.disconnect();
      await db.destroy();
      await logging.close();
    },
  };
}

/**
 * This host's lock in the backup folder first (it names the holder best), then, for a database server, the
 * server's named lock: hosts that share the database but not the folder exclude each other too.
 */
async function tryBackupLock(localDir: string, target: Config['database']['primary'], what: string): Promise<TryLock> {
  const label = `inkstone ${what}, pid ${process.pid} on ${hostname()}`;
  const host = await tryHostLock(localDir, what, () => new Date());
  if (!host.ok || target.dialect === 'sqlite') return host;
  const server = await tryServerLock(target, 'inkstone_backup', label).catch(async (err: unknown) => {
    await host.release();
    throw err;
  });
  if (server.ok) {
    return {
      ok: true,
      release: async () => {
        await server.release();
        await host.release();
      },
    };
  }
  await host.release();
  return server;
}

/** The Redis cache as the app's instances use it, opened only to be emptied (see restore-backup.ts). */
function sharedCacheOf(url: string, prefix: string, logger: Logger): BackupDeps['sharedCache'] {
  return {
    async clear() {
      const { createRedisCache } = await import('./adapters/cache/redis-cache.js');
      const cache = createRedisCache({ url, prefix, logger });
      try {
        return await cache.clear();
      } finally {
        await cache.close();
      }
    },
  };
}

/**
 * What backup and restore run on. Built apart from createApp because a restore must be able to replace the
 * database under it: it opens only short-lived connections of its own, never the app's pool.
 */
export function createBackupDeps(config: Config, logger: Logger): BackupDeps {
  const target = config.database.primary;
  const b = config.backup;
  const destinations: Destination[] = b.destinations.map((name) =>
    name === 'local' ? createLocalDestination(b.localDir) : createS3Destination({ ...b.s3, bucket: b.s3.bucket ?? '' }),
  );
  const database: DatabasePort =
    target.dialect === 'sqlite'
      ? { dialect: 'sqlite', tools: createSqliteDumper(target.file) }
      : target.dialect === 'mysql'
        ? { dialect: 'mysql', tools: createMysqlDumper(target) }
        : { dialect: 'postgres', tools: createPostgresDumper(target) };
  const version = readVersionInfo();
  return {
    config: b,
    env: config.env,
    app: { version: version.version, commit: version.commit ?? null },
    logger,
    destinations,
    database,
    inspect: (options) => inspectDatabase(target, options),
    files: createStorageFiles(config.storageDir),
    envFile: createEnvFile(b.envFile),
    binlogStage,
    redis: config.redisUrl
      ? { ...createRedisSnapshot(config.redisUrl), ...createRedisRestore(config.redisUrl, config.redisPrefix) }
      : undefined,
    sharedCache: config.redisUrl ? sharedCacheOf(config.redisUrl, config.redisPrefix, logger) : undefined,
    lock: { tryAcquire: (what) => tryBackupLock(b.localDir, target, what) },
    codec: {
      compress: zstdCompress,
      decompress: zstdDecompress,
      newKey,
      keyFor,
      encrypt: encryptStream,
      decrypt: decryptStream,
      randomBytes: (n) => randomBytes(n),
    },
    notify: createWebhookNotifier(b.notifyUrl, config.appName, logger),
    now: () => new Date(),
  };
}
