import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { App } from '../app.js';
import { startWorker, type RunningWorker, type WorkerOptions } from '../services/queue-worker.js';

export type WorkerRoleOptions = Omit<WorkerOptions, 'workerId' | 'timeoutMs'> & { timeoutMs?: number };

/** The worker role on an app: `queue:work` runs it alone, `serve --with-worker` beside the web server. */
export function startWorkerRole(app: App, options: WorkerRoleOptions): RunningWorker {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  app.logger.info(
    { queues: options.queues, concurrency: options.concurrency, driver: app.queue.name, workerId },
    'queue worker started',
  );
  return startWorker({
    driver: app.queue,
    handlers: app.jobs,
    clock: app.clock,
    logger: app.logger,
    options: { ...options, timeoutMs: options.timeoutMs ?? app.config.queue.timeoutMs, workerId },
  });
}
