import type { Duplex, Readable, Transform } from 'node:stream';
import type { AppEnv } from '../../config/index.js';
import type { BackupConfig } from '../../config/config.js';
import type { Logger } from '../../adapters/log/logger.js';
import type { Destination } from '../../adapters/storage/destination.js';
import type { KeyParams } from '../../adapters/crypto/part-cipher.js';
import type { SqliteDumper } from '../../adapters/dump/sqlite-dumper.js';
import type { MysqlDumper } from '../../adapters/dump/mysql-dumper.js';
import type { PostgresDumper } from '../../adapters/dump/postgres-dumper.js';
import type { TryLock } from '../../adapters/storage/host-lock.js';

export type DatabasePort =
  | { dialect: 'sqlite'; tools: SqliteDumper }
  | { dialect: 'mysql'; tools: MysqlDumper }
  | { dialect: 'postgres'; tools: PostgresDumper };

export interface RedisPort {
  /** An RDB snapshot of the live server. */
  snapshot(): Readable;
  /** Throws a one-line error when restoring is impossible here (redis-server missing). */
  canRestore(): Promise<void>;
  /** Makes the live Redis hold exactly the blog's keys (its prefix) found in the RDB, with their TTLs. */
  restore(rdb: Readable): Promise<{ restored: number; removed: number }>;
}

export interface BackupEvent {
  ok: boolean;
  action: 'backup' | 'restore';
  id: string | null;
  message: string;
}

/** Everything backup and restore touch, built in app.ts; the use cases themselves do no I/O of their own. */
export interface BackupDeps {
  readonly config: BackupConfig;
  readonly env: AppEnv;
  readonly app: { version: string; commit: string | null };
  readonly logger: Logger;
  /** Every configured destination, in the configured order. */
  readonly destinations: readonly Destination[];
  readonly database: DatabasePort;
  /** Tables with their row counts (`counts: false`: none, the last migration only) and the last migration. */
  inspect(options?: { counts?: boolean }): Promise<{ tables: Record<string, number>; lastMigration: string | null }>;
  readonly files: {
    pack(): Readable;
    /** Makes the backed-up folders equal to the tar (extras removed); the live ones stay as they were on failure. */
    replaceWith(tarStream: Readable): Promise<void>;
    present(): Promise<boolean>;
  };
  readonly envFile: { read(): Promise<Buffer | undefined>; writeRestored(data: Readable): Promise<string> };
  /** A private temp dir for binary logs on their way to mariadb-binlog (it reads files, not streams). */
  readonly binlogStage: {
    create(): Promise<{ write(name: string, data: Readable): Promise<string>; cleanup(): Promise<void> }>;
  };
  readonly redis: RedisPort | undefined;
  /**
   * The cache shared by the app's instances (Redis; undefined when the cache is in-process and goes with a restart).
   * A restore empties it: its pages, API reads and tag names describe the data before the restore.
   */
  readonly sharedCache: { clear(): Promise<number> } | undefined;
  /** The backup lock (this host's backup folder, plus the database server's for MySQL/PostgreSQL). */
  readonly lock: { tryAcquire(what: string): Promise<TryLock> };
  readonly codec: {
    compress(): Duplex;
    decompress(): Duplex;
    newKey(password: string): Promise<{ key: Buffer; params: KeyParams }>;
    keyFor(password: string | undefined, params: KeyParams, setId: string): Promise<Buffer>;
    encrypt(key: Buffer | Promise<Buffer>, iv: Buffer): Transform;
    decrypt(key: Buffer, iv: Buffer, partName: string): Transform;
    randomBytes(n: number): Buffer;
  };
  notify(event: BackupEvent): Promise<void>;
  now(): Date;
}
