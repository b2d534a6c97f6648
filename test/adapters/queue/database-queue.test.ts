import { describeEachDialect } from '../../support/databases.js';
import { createTestApp } from '../../support/app.js';
import { queueBehaviour, testJobs } from './queue-behaviour.js';

describeEachDialect('database queue driver', (dialect) => {
  queueBehaviour(async (journal) => {
    const t = await createTestApp(dialect, { QUEUE_DRIVER: 'database' }, { extraJobs: testJobs(journal) });
    return { app: t.app, close: () => t.close() };
  });
});
