import { pino, type Logger, type DestinationStream, type StreamEntry } from 'pino';
import type { Config } from '../../config/index.js';
import { DailyFileStream } from './daily-file.js';
import { LineBatch } from './line-batch.js';
import { SlackSink } from './slack-sink.js';
import { scrubUrlPasswords } from './scrub.js';

export type { Logger };

/** Paths whose values never reach a log line (secrets never reach logs). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.password_hash',
  '*.token',
  '*.apiToken',
  '*.secret',
  '*.appKey',
  '*.backupPassword',
  '*.BACKUP_PASSWORD',
  '*.APP_KEY',
  'password',
  'token',
];

export interface Logging {
  logger: Logger;
  /** Flushes buffered lines and sends pending Slack batches; call at shutdown. */
  close(): Promise<void>;
}

export interface LoggingOptions {
  /** Where the `stdout` channel writes (one-shot CLI commands pass stderr to keep stdout for their output). */
  stdout?: DestinationStream;
}

type LogConfig = Pick<Config, 'appName'> & {
  log: Pick<Config['log'], 'level'> & Partial<Omit<Config['log'], 'level'>>;
};

/** Builds the process logger from the configured channels: stdout, daily file, Slack (errors only). */
export function createLogging(config: LogConfig, options: LoggingOptions = {}): Logging {
  const channels = config.log.channels ?? ['stdout'];
  const streams: StreamEntry[] = [];
  let daily: DailyFileStream | undefined;
  let slack: SlackSink | undefined;
  let stdoutDest: { flushSync(): void } | undefined;
  if (channels.includes('stdout')) {
    if (options.stdout) {
      streams.push({ level: 'trace', stream: options.stdout });
    } else {
      const dest = pino.destination({ dest: 1, sync: false });
      const batch = new LineBatch((text) => dest.write(text));
      stdoutDest = {
        flushSync: () => {
          batch.flush();
          dest.flushSync();
        },
      };
      streams.push({ level: 'trace', stream: { write: (line: string) => batch.write(line) } });
    }
  }
  if (channels.includes('daily') && config.log.dir) {
    daily = new DailyFileStream(config.log.dir, config.log.dailyDays ?? 14);
    streams.push({ level: 'trace', stream: daily });
  }
  if (channels.includes('slack') && config.log.slackWebhookUrl) {
    slack = new SlackSink(config.log.slackWebhookUrl, config.log.slackBatchMs ?? 10_000, config.appName);
    streams.push({ level: 'error', stream: slack });
  }
  const logger = pino(
    {
      level: config.log.level,
      base: { app: config.appName },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: {
        err: (err: Error) => {
          const s = pino.stdSerializers.err(err);
          // Not every thrown value is an Error (some libraries throw strings); those pass through as they are.
          if (s === null || typeof s !== 'object') return s;
          s.message = scrubUrlPasswords(s.message);
          if (s.stack) s.stack = scrubUrlPasswords(s.stack);
          return s;
        },
      },
      hooks: {
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) {
            const a: unknown = args[i];
            if (typeof a === 'string') args[i] = scrubUrlPasswords(a);
          }
          return method.apply(this, args);
        },
      },
    },
    destinationOf(streams),
  );
  return {
    logger,
    async close() {
      stdoutDest?.flushSync();
      await daily?.end();
      await slack?.flush();
    },
  };
}

/** One channel that takes every level is written to directly: multistream's fan-out is paid on every line. */
function destinationOf(streams: StreamEntry[]): DestinationStream {
  if (streams.length === 0) return pino.destination('/dev/null');
  const only = streams.length === 1 ? streams[0]! : undefined;
  if (only && only.level === 'trace') return only.stream;
  return pino.multistream(streams);
}

/** A logger with only the stdout channel (tests and tools that own no storage). */
export function createLogger(config: LogConfig, stream?: DestinationStream): Logger {
  return createLogging({ ...config, log: { ...config.log, channels: ['stdout'] } }, { stdout: stream }).logger;
}
