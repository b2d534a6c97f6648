import type { Config } from './config/index.js';
import { createLogger, type Logger } from './adapters/log/logger.js';
import { createDatabase, type Database } from './adapters/db/database.js';
import { Migrator, type MigratorEvent } from './adapters/db/migrator.js';
import { migrations } from './adapters/db/migrations/index.js';
import { createMigrationService, type MigrationService } from './services/migrations.js';
import { readVersionInfo, type VersionInfo } from './version.js';
import { checkIntegrity, optimize, ping } from './adapters/db/maintenance.js';
import type { DatabaseTools } from './services/database-check.js';
import { createBlogServices, type BlogServices } from './app-blog.js';

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
  /** Users, articles, tags, comments, auth: the blog itself. */
  readonly blog: BlogServices;
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
  const blog = createBlogServices(db, config);
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
    blog,
    async close() {
      if (closed) return;
      closed = true;
      await blog.close();
      await db.destroy();
    },
  };
}
