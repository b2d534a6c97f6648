import { Option, type Command } from 'commander';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { configFrom } from '../context.js';
import { CliError } from '../errors.js';
import { parseWholeNumber } from '../format.js';
import { dailyFiles, formatEntry, lastLines, levelNumber, passes, readAppended } from '../../ops/logs/daily-reader.js';

export function registerLogCommands(program: Command, io: CliIO): void {
  program
    .command('log:tail')
    .description('print the last lines of the daily log files (storage/logs/inkstone-YYYY-MM-DD.log)')
    .option('-n, --lines <n>', 'how many lines', parseWholeNumber('--lines', 1), 50)
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .addOption(
      new Option('--level <level>', 'only lines at this level or above').choices([
        'trace',
        'debug',
        'info',
        'warn',
        'error',
        'fatal',
      ]),
    )
    .option('--json', 'print the raw JSON lines')
    .action(async (opts: { lines: number; follow?: boolean; level?: string; json?: boolean }) => {
      const config = configFrom(io);
      const minLevel = opts.level ? levelNumber(opts.level) : undefined;
      const show = (line: string) => println(io.stdout, opts.json ? line : formatEntry(line));
      let files = await dailyFiles(config.log.dir);
      if (files.length === 0 && !opts.follow) {
        throw new CliError(
          `no daily log files in ${config.log.dir} (is the daily channel on? LOG_CHANNELS=stdout,daily)`,
        );
      }
      for (const line of await lastLines(files, opts.lines, minLevel)) show(line);
      if (!opts.follow) return;

      let current = files.at(-1);
      let offset = current ? (await readAppended(current, 0)).next : 0;
      let stopped = false;
      void io.waitForStop().then(() => (stopped = true));
      while (!stopped) {
        await new Promise((r) => setTimeout(r, 250));
        files = await dailyFiles(config.log.dir);
        const newest = files.at(-1);
        if (newest && newest !== current) {
          // Midnight: finish the old file, then follow the new one from its start.
          if (current) for (const l of (await readAppended(current, offset)).lines) if (passes(l, minLevel)) show(l);
          current = newest;
          offset = 0;
        }
        if (!current) continue;
        const { lines, next } = await readAppended(current, offset);
        offset = next;
        for (const l of lines) if (passes(l, minLevel)) show(l);
      }
    });
}
