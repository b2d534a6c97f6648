import { describe, inject } from 'vitest';
import { createTestApp, redisTestPrefix } from '../../support/app.js';
import { queueBehaviour, testJobs } from './queue-behaviour.js';

const redis = inject('services').find((s) => s.name === 'redis');

describe.skipIf(!redis?.available)(
  `bullmq queue driver${redis?.available ? '' : ` (skipped: ${redis?.reason})`}`,
  () => {
    queueBehaviour(async (journal) => {
      const keys = redisTestPrefix();
      const t = await createTestApp(
        'sqlite',
        { QUEUE_DRIVER: 'redis', REDIS_URL: keys.url, REDIS_PREFIX: keys.prefix },
        { extraJobs: testJobs(journal) },
      );
      return {
        app: t.app,
        close: async () => {
          await t.close();
          await keys.clean();
        },
      };
    });
  },
);
