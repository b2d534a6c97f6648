import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { configFrom } from '../context.js';
import { createApp } from '../../app.js';
import { createLogging } from '../../adapters/log/logger.js';
import { startWebRole } from '../../http/web-role.js';

export function registerServeCommand(program: Command, io: CliIO): void {
  program
    .command('serve')
    .description('run the web server until SIGTERM/SIGINT, then drain in-flight requests and exit 0')
    .option('--port <port>', 'port to listen on (default: PORT, else 3000)')
    .option('--host <host>', 'address to listen on (default: HOST, else 127.0.0.1)')
    .action(async (opts: { port?: string; host?: string }) => {
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
        const signal = await io.waitForStop();
        app.logger.info({ signal }, 'shutting down: draining requests');
        const timer = setTimeout(() => {
          app.logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
          process.exit(1);
        }, config.shutdownTimeoutMs);
        timer.unref();
        await web.drain();
        clearTimeout(timer);
        app.logger.info('stopped');
      } finally {
        await app.close();
      }
    });
}
