import { Command, CommanderError } from 'commander';
import type { CliIO } from './io.js';
import { describeFailure } from './errors.js';
import { readVersionInfo } from '../version.js';

type RegisterGroup = (program: Command, io: CliIO) => void;

interface CommandGroup {
  /** Every command name the group registers (test/cli/program.test.ts checks this against the registrations). */
  commands: readonly string[];
  load: () => Promise<RegisterGroup>;
}

/**
 * The command groups, each in its own file under commands/, imported only when one of its commands runs: `serve`
 * then evaluates the server's modules and not the backup, deploy or queue tooling (start-up time, issue 2). Help,
 * suggestions for typos and unknown names load every group, so `--help` still lists every command.
 */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { commands: ['serve'], load: async () => (await import('./commands/serve.js')).registerServeCommand },
  {
    commands: ['migrate', 'migrate:rollback', 'migrate:status'],
    load: async () => (await import('./commands/migrate.js')).registerMigrateCommands,
  },
  { commands: ['db:check', 'db:optimize'], load: async () => (await import('./commands/db.js')).registerDbCommands },
  { commands: ['health'], load: async () => (await import('./commands/health.js')).registerHealthCommand },
  { commands: ['log:tail'], load: async () => (await import('./commands/logs.js')).registerLogCommands },
  {
    commands: ['user:create', 'db:seed'],
    load: async () => (await import('./commands/content.js')).registerContentCommands,
  },
  {
    commands: [
      'queue:work',
      'queue:failed',
      'queue:retry',
      'queue:forget',
      'queue:flush',
      'queue:stats',
      'queue:monitor',
      'schedule:work',
      'schedule:list',
      'session:gc',
      'log:clear',
      'cache:clear',
    ],
    load: async () => (await import('./commands/jobs.js')).registerJobsCommands,
  },
  {
    commands: ['backup:run', 'backup:list', 'backup:clean', 'backup:monitor', 'backup:restore'],
    load: async () => (await import('./commands/backup.js')).registerBackupCommands,
  },
  { commands: ['media:variants'], load: async () => (await import('./commands/media.js')).registerMediaCommands },
  { commands: ['deploy:check'], load: async () => (await import('./commands/deploy.js')).registerDeployCommands },
];

/**
 * The program with the command groups that `argv` needs: the one owning its first word when that names a command,
 * else (help, version, options only, a typo) all of them. Without `argv`, all of them.
 */
export async function buildProgram(io: CliIO, argv?: readonly string[]): Promise<Command> {
  const { version, commit } = readVersionInfo();
  const program = new Command('inkstone')
    .description('Inkstone: a blog platform with its operations built in')
    .version(`inkstone ${version}${commit ? ` (${commit})` : ''}`, '-V, --version', 'print the version and commit')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  const first = argv?.[0];
  const owner = COMMAND_GROUPS.find((g) => first !== undefined && g.commands.includes(first));
  const groups = owner ? [owner] : COMMAND_GROUPS;
  const registers = await Promise.all(groups.map((g) => g.load()));
  for (const register of registers) register(program, io);
  for (const cmd of program.commands) cmd.exitOverride().showSuggestionAfterError(true);
  return program;
}

/** Runs the CLI and returns the exit code: 0 done, 1 the operation failed, 2 bad usage or configuration. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  try {
    const program = await buildProgram(io, argv);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not failures; every other commander error is bad usage (already printed).
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
    }
    const failure = describeFailure(err);
    io.stderr.write(`inkstone: ${failure.message}\n`);
    if (failure.bug && io.env.INKSTONE_DEBUG) io.stderr.write(`${(err as Error).stack ?? ''}\n`);
    return failure.exitCode;
  }
}
