import type { Config } from '../../config/index.js';
import { fail, pass, warn, type CheckResult } from './check-result.js';

/**
 * The production config is complete: APP_ENV=production, a real secret, no debug logging. Softer findings (plain
 * http, migrations at boot, a database without password) are warnings: they can be deliberate.
 */
export function checkProductionConfig(config: Config): CheckResult {
  const problems: string[] = [];
  const notes: string[] = [];
  if (config.env !== 'production') problems.push(`APP_ENV is ${config.env}, expected production`);
  if (config.appKey === undefined || config.appKey.length < 32)
    problems.push('APP_KEY is not set to a 32+ character secret');
  if (config.log.level === 'debug' || config.log.level === 'trace')
    problems.push(`LOG_LEVEL is ${config.log.level} (debug off in production)`);
  if (config.appUrl.startsWith('http://')) notes.push(`APP_URL ${config.appUrl} is not https`);
  if (config.database.autoMigrate)
    notes.push('AUTO_MIGRATE is on: migrations should run in the deploy step, after the backup');
  const db = config.database.primary;
  if (db.dialect !== 'sqlite' && db.password === '' && db.socket === undefined)
    notes.push('the database user has no password');
  if (problems.length > 0) return fail('config', problems.join('; '));
  if (notes.length > 0) return warn('config', notes.join('; '));
  return pass('config', 'production settings complete (APP_ENV, APP_KEY, log level)');
}
