import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import type { CliIO } from '../io.js';
import { println } from '../io.js';
import { withApp } from '../context.js';
import { CliError } from '../errors.js';
import { formatMs, parseWholeNumber } from '../format.js';
import { isRole, ROLES } from '../../domain/roles.js';
import { isValidEmail, normalizeEmail } from '../../domain/user.js';
import { ConflictError, ValidationError } from '../../domain/errors.js';

/** user:create and db:seed: the commands that write blog content. */
export function registerContentCommands(program: Command, io: CliIO): void {
  program
    .command('user:create')
    .description('create a user; without --password-stdin a strong password is generated and printed once')
    .requiredOption('--email <email>', 'sign-in email address')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--password-stdin', 'read the password from standard input (so it stays out of shell history)')
    .option('--json', 'print JSON')
    .action(async (opts: { email: string; role: string; name?: string; passwordStdin?: boolean; json?: boolean }) => {
      // Bad usage is reported before anything connects to the database.
      if (!isValidEmail(normalizeEmail(opts.email)))
        throw new CliError(`--email: "${opts.email}" is not a valid email address`, 2);
      if (!isRole(opts.role)) throw new CliError(`--role must be one of ${ROLES.join(', ')} (got "${opts.role}")`, 2);
      const password = opts.passwordStdin ? await readPassword(io.stdin) : undefined;
      const result = await withApp(io, async (app) => {
        try {
          return await app.blog.users.create({ email: opts.email, role: opts.role, name: opts.name, password });
        } catch (err) {
          if (err instanceof ValidationError) throw new CliError(err.message, 2);
          if (err instanceof ConflictError) throw new CliError(err.message, 1);
          throw err;
        }
      });
      const { user, generatedPassword } = result;
      if (opts.json) {
        println(
          io.stdout,
          JSON.stringify({
            id: user.id,
            email: user.email,
            name: user.name,
            role: user.role,
            password: generatedPassword,
          }),
        );
        return;
      }
      println(io.stdout, `Created ${user.role} ${user.email} (id ${user.id}).`);
      if (generatedPassword) println(io.stdout, `Password (shown once, store it now): ${generatedPassword}`);
    });

  program
    .command('db:seed')
    .description(
      'fill the database with demo content: users of each role, English and Chinese articles, tags, comments',
    )
    .option('--articles <n>', 'how many articles', parseWholeNumber('--articles'), 50)
    .option('--users <n>', 'how many users (at least one per role)', parseWholeNumber('--users', 1), 6)
    .option('--seed <n>', 'random seed, for the same content again', parseWholeNumber('--seed'))
    .option('--force', 'allow running in production (APP_ENV=production)')
    .option('--json', 'print a JSON summary')
    .action(async (opts: { articles: number; users: number; seed?: number; force?: boolean; json?: boolean }) => {
      const bar =
        io.stderr.isTTY && !opts.json
          ? new SingleBar({ stream: io.stderr, clearOnComplete: true }, Presets.shades_classic)
          : undefined;
      const summary = await withApp(io, async (app) => {
        if (app.config.env === 'production' && !opts.force) {
          throw new CliError('refusing to seed demo content in production without --force', 2);
        }
        try {
          return await app.blog.seed({
            articles: opts.articles,
            users: opts.users,
            seed: opts.seed,
            onProgress: (done, total) => {
              if (!bar) return;
              if (done === 0) bar.start(total, 0);
              else bar.update(done);
            },
          });
        } finally {
          bar?.stop();
        }
      });
      if (opts.json) return println(io.stdout, JSON.stringify(summary));
      const a = summary.articles;
      println(
        io.stdout,
        `Seeded ${a.published + a.draft + a.scheduled} articles (${a.published} published, ${a.draft} draft, ` +
          `${a.scheduled} scheduled; ${summary.chineseArticles} in Chinese), ` +
          `${summary.users.admin + summary.users.editor + summary.users.author} users, ${summary.tags} tags, ` +
          `${summary.comments.approved + summary.comments.pending} comments in ${formatMs(summary.ms)}.`,
      );
      println(io.stdout, `Demo users sign in with the password: ${summary.password}`);
    });
}

async function readPassword(stdin: NodeJS.ReadableStream): Promise<string> {
  let data = '';
  for await (const chunk of stdin) data += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  const password = data.replace(/\r?\n$/, '');
  if (password === '') throw new CliError('--password-stdin: no password on standard input', 2);
  return password;
}
