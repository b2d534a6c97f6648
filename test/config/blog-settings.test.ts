import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../src/config/index.js';

const load = (env: Record<string, string>) => loadConfig({ env, cwd: '/tmp', envFile: '/dev/null' });

describe('blog settings in the config', () => {
  it('defaults: 14-day sessions, login and comment limits, Secure cookies only in production', () => {
    const dev = load({ APP_ENV: 'development' });
    expect(dev.auth).toEqual({
      sessionTtlMs: 336 * 3_600_000,
      secureCookies: false,
      login: { maxPerIp: 20, maxFailuresPerAccount: 5, windowMs: 900_000 },
    });
    expect(dev.comments).toEqual({ maxPerIp: 5, windowMs: 600_000 });
    expect(dev.redisPrefix).toBe('inkstone:');
    const prod = load({ APP_ENV: 'production', APP_KEY: 'k'.repeat(32) });
    expect(prod.auth.secureCookies).toBe(true);
  });

  it('a bad value names the variable', () => {
    expect(() => load({ APP_ENV: 'test', LOGIN_MAX_ATTEMPTS_PER_IP: 'many' })).toThrow(ConfigError);
    expect(() => load({ APP_ENV: 'test', SESSION_TTL_HOURS: '0' })).toThrow(/SESSION_TTL_HOURS/);
  });
});
