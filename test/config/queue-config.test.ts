import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/index.js';
import { testConfig } from '../support/config.js';

describe('queue, schedule and mail settings', () => {
  it('has the design defaults', () => {
    const c = testConfig();
    expect(c.queue).toEqual({ driver: 'database', timeoutMs: 60_000, retryAfterMs: 90_000 });
    expect(c.schedule).toEqual({ timezone: 'UTC' });
    expect(c.mail.url).toBeUndefined();
    expect(c.redisPrefix).toBe('inkstone:');
    expect(c.log.dir).toMatch(/logs$/);
  });

  const bad: [Record<string, string>, string, RegExp][] = [
    [{ QUEUE_DRIVER: 'sqs' }, 'QUEUE_DRIVER', /expected database or redis/],
    [{ QUEUE_DRIVER: 'redis' }, 'QUEUE_DRIVER', /REDIS_URL/],
    [{ QUEUE_TIMEOUT: '120' }, 'QUEUE_RETRY_AFTER', /more seconds than QUEUE_TIMEOUT \(120\)/],
    [{ QUEUE_RETRY_AFTER: 'soon' }, 'QUEUE_RETRY_AFTER', /seconds/],
    [{ SCHEDULE_TIMEZONE: 'Mars/Olympus' }, 'SCHEDULE_TIMEZONE', /IANA time zone/],
  ];
  for (const [env, variable, message] of bad) {
    it(`rejects ${JSON.stringify(env)} naming ${variable}`, () => {
      let caught: unknown;
      try {
        testConfig(env);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as Error).message).toContain(variable);
      expect((caught as Error).message).toMatch(message);
    });
  }
});
