import type { Config } from './config/index.js';
import { createLogger, type Logger } from './adapters/log/logger.js';
import { createDatabase, type Database } from './adapters/db/database.js';
import { Migrator, type MigratorEvent } from './adapters/db/migrator.js';
import { migrations } from './adapters/db/migrations/index.js';
import { createMigrationService, type MigrationService } from './services/migrations.js';
import { readVersionInfo, type VersionInfo } from './version.js';
import { checkIntegrity, optimize, ping } from './adapters/db/maintenance.js';
import type { DatabaseTools } from './services/database-check.js';
import { randomBytes } from 'node:crypto';
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
import { binlogStage } from './adapters/process/binlog-stage.js';
import { zstdCompress, zstdDecompress } from './adapters/process/zstd.js';
import { decryptStream, encryptStream, keyFor, newKey } from './adapters/crypto/part-cipher.js';
import { createWebhookNotifier } from './adapters/notify/webhook.js';

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
  close(): Promise<void>;
}

export interface CreateAppOptions {
  logger?: Logger;
  onMigratorEvent?: (event: MigratorEvent) => void;
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
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
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
    inspect: () => inspectDatabase(target),
    files: createStorageFiles(config.storageDir),
    envFile: createEnvFile(b.envFile),
    binlogStage,
    redis: config.redisUrl ? createRedisSnapshot(config.redisUrl) : undefined,
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
