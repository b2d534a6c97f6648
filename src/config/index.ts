export { loadConfig } from './load-config.js';
export { ConfigError } from './config-error.js';
export type { Config, AppEnv } from './config.js';
export type { DatabaseTarget, Dialect } from './database-url.js';
export { parseDatabaseUrl, redactDatabaseUrl } from './database-url.js';
