import { tmpdir } from 'node:os';
import { loadConfig, type Config } from '../../src/config/index.js';

/** A Config for tests: APP_ENV=test, quiet logs, the given database, nothing read from the real environment. */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    env: { APP_ENV: 'test', LOG_LEVEL: 'silent', LOG_CHANNELS: 'stdout', STORAGE_DIR: tmpdir(), ...env },
    cwd: process.cwd(),
    envFile: '/dev/null',
  });
}
