import type { Command } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { withApp } from '../context.js';
import { CliError } from '../errors.js';
import { parseWholeNumber } from '../format.js';
import { NotFoundError } from '../../domain/errors.js';
import { redoVariants, type RedoVariantsResult } from '../../services/media/redo-variants.js';

interface VariantsOptions {
  id?: number;
  all?: boolean;
  inline?: boolean;
  json?: boolean;
}

/** media:variants: the resized copies again, for uploads made before they existed or whose job failed. */
export function registerMediaCommands(program: Command, io: CliIO): void {
  program
    .command('media:variants')
    .description(
      'queue the media:variants job again for one upload or all of them (old uploads, failed jobs); ' +
        'it also removes metadata left in originals stored before uploads were cleaned',
    )
    .option('--id <n>', 'one upload, by id', parseWholeNumber('--id', 1))
    .option('--all', 'every upload')
    .option('--inline', 'make the variants in this process instead of queueing jobs (no worker needed)')
    .option('--json', 'print a JSON summary')
    .action(async (opts: VariantsOptions) => {
      if ((opts.id === undefined) === !opts.all) throw new CliError('give exactly one of --id <n> and --all', 2);
      const bar =
        io.stderr.isTTY && !opts.json
          ? new SingleBar({ stream: io.stderr, clearOnComplete: true }, Presets.shades_classic)
          : undefined;
      const result = await withApp(io, async (app) => {
        try {
          return await redoVariants(app.media, opts.id === undefined ? { all: true } : { id: opts.id }, {
            inline: opts.inline === true,
            onProgress: (done, total) => {
              if (!bar) return;
              if (done === 0) bar.start(total, 0);
              else bar.update(done);
            },
          });
        } catch (err) {
          if (err instanceof NotFoundError) throw new CliError(`--id: no upload with id ${opts.id}`, 1);
          throw err;
        } finally {
          bar?.stop();
        }
      });
      if (opts.json) println(io.stdout, JSON.stringify(result));
      else println(io.stdout, summary(result));
      if (result.failed.length > 0) {
        if (!opts.json) for (const f of result.failed) println(io.stderr, `media ${f.id}: ${f.error}`);
        throw new CliError(`${result.failed.length} of ${result.total} upload(s) failed`, 1);
      }
    });
}

function summary(r: RedoVariantsResult): string {
  const gone = r.gone.length > 0 ? `, ${r.gone.length} deleted meanwhile` : '';
  const failed = r.failed.length > 0 ? `, ${r.failed.length} failed` : '';
  return r.mode === 'queued'
    ? `Queued the variants job for ${r.done} of ${r.total} upload(s)${gone}${failed}.`
    : `Made the variants of ${r.done} of ${r.total} upload(s)${gone}${failed}.`;
}
