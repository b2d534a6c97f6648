import { pino, type Logger, type DestinationStream } from 'pino';
import type { Config } from '../../config/index.js';

export type { Logger };

/** Paths whose values never reach a log line (issue: secrets never reach logs). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.password_hash',
  '*.token',
  '*.apiToken',
  '*.secret',
  '*.appKey',
];

/** The process logger: one JSON line per event on stdout (or the given stream). */
export function createLogger(config: Pick<Config, 'log' | 'appName'>, stream?: DestinationStream): Logger {
  return pino(
    {
      level: config.log.level,
      base: { app: config.appName },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}
