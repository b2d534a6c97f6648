import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { withApp } from '../context.js';
import { CliError } from '../errors.js';

export function registerHealthCommand(program: Command, io: CliIO): void {
  program
    .command('health')
    .description('run the same checks as GET /health (database, redis, disk, …); exit 0 healthy, 1 unhealthy')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }) => {
      const report = await withApp(io, (app) => app.health());
      if (opts.json) {
        println(io.stdout, JSON.stringify(report));
      } else {
        println(io.stdout, `${report.status} (inkstone ${report.version}${report.commit ? `, ${report.commit}` : ''})`);
        for (const [name, c] of Object.entries(report.checks)) {
          println(
            io.stdout,
            `${c.status === 'ok' ? '✓' : '✗'} ${name.padEnd(10)} ${c.ms} ms${c.detail ? `  ${c.detail}` : ''}`,
          );
        }
      }
      if (report.status !== 'healthy') {
        const failed = Object.entries(report.checks).filter(([, c]) => c.status !== 'ok');
        throw new CliError(`unhealthy: ${failed.map(([n]) => n).join(', ')}`);
      }
    });
}
