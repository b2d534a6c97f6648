import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { configFrom } from '../context.js';
import { createApp } from '../../app.js';
import { createLogging } from '../../adapters/log/logger.js';
import { startWebRole } from '../../http/web-role.js';
import { startWorkerRole } from '../../jobs/worker-role.js';
import { buildSchedule, startSchedulerRole } from '../../ops/schedule/scheduler-role.js';
import { inProcessRunner } from './schedule.js';
import { DEFAULT_BACKOFF } from '../../domain/backoff.js';
import { setFlagsFromString } from 'node:v8';

/**
 * The web server's old generation may grow to 1.5x what the last full collection kept, where V8 would otherwise let
 * it reach up to 4x: a server rendering uncached pages keeps 15-25 MB live but piled garbage up to 80 MB before
 * collecting, so its resident memory peaked near 200 MB. Measured on the cache-off bench: peak RSS 196-199 MB ->
 * 131 MB for about 3-5% more CPU per rendered page. V8 reads this at each collection, so it can be set here rather
 * than on every start command line (an unknown flag is ignored, not fatal). See docs/operations/troubleshooting.md.
 */
const HEAP_GROWING_FLAG = '--heap-growing-percent=50';

export function registerServeCommand(program: Command, io: CliIO): void {
  program
    .command('serve')
    .description('run the web server until SIGTERM/SIGINT, then drain in-flight requests and exit 0')
    .option('--port <port>', 'port to listen on (default: PORT, else 3000)')
    .option('--host <host>', 'address to listen on (default: HOST, else 127.0.0.1)')
    .option('--with-worker', 'also work the default and mail queues in this process (queue:work defaults)')
    .option('--with-scheduler', 'also run the schedule in this process (as schedule:work)')
    .action(async (opts: { port?: string; host?: string; withWorker?: boolean; withScheduler?: boolean }) => {
      setFlagsFromString(HEAP_GROWING_FLAG);
      const config = configFrom(io, { PORT: opts.port, HOST: opts.host });
      // Humans at a terminal in development get readable lines; everywhere else, one JSON object per line.
      const pretty =
        config.env === 'development' && io.stdout.isTTY
          ? (await import('pino-pretty')).default({ colorize: true, sync: true, destination: 1 })
          : undefined;
      const app = await createApp(config, { logging: createLogging(config, { stdout: pretty }) });
      try {
        if (config.database.autoMigrate) {
          const { applied } = await app.migrations.migrate({ force: true });
          if (applied.length > 0) app.logger.info({ applied }, `applied ${applied.length} migration(s) at start`);
        } else {
          const pending = (await app.migrations.status()).filter((m) => m.batch === null);
          if (pending.length > 0) {
            app.logger.warn(
              { pending: pending.map((m) => m.name) },
              'pending migrations: run inkstone migrate --force',
            );
          }
        }
        const web = await startWebRole(app, config.http);
        app.logger.info({ url: web.url, version: app.version.version }, `Inkstone listening on ${web.url}`);
        // The embedded default: one process, all roles. No --max-time here; the web server is the lifetime.
        const worker = opts.withWorker
          ? startWorkerRole(app, {
              queues: ['default', 'mail', 'site'],
              concurrency: 1,
              sleepMs: 3000,
              tries: 3,
              backoff: DEFAULT_BACKOFF,
            })
          : undefined;
        const scheduler = opts.withScheduler
          ? startSchedulerRole(app, buildSchedule(app, inProcessRunner(io)))
          : undefined;
        const signal = await io.waitForStop();
        app.logger.info({ signal }, 'shutting down: draining requests');
        const timer = setTimeout(() => {
          app.logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
          process.exit(1);
        }, config.shutdownTimeoutMs);
        timer.unref();
        await Promise.all([web.drain(), worker?.stop(), scheduler?.stop()]);
        clearTimeout(timer);
        app.logger.info('stopped');
      } finally {
        await app.close();
      }
    });
}
