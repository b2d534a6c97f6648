import { Command, CommanderError } from 'commander';
import type { CliIO } from './io.js';
import { describeFailure } from './errors.js';
import { readVersionInfo } from '../version.js';
import { registerServeCommand } from './commands/serve.js';
import { registerMigrateCommands } from './commands/migrate.js';
import { registerDbCommands } from './commands/db.js';
import { registerHealthCommand } from './commands/health.js';
import { registerLogCommands } from './commands/logs.js';
import { registerContentCommands } from './commands/content.js';
import { registerJobsCommands } from './commands/jobs.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerDeployCommands } from './commands/deploy.js';

/** Every command, registered on one program. Each command group lives in its own file under commands/. */
export function buildProgram(io: CliIO): Command {
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
  registerServeCommand(program, io);
  registerMigrateCommands(program, io);
  registerDbCommands(program, io);
  registerHealthCommand(program, io);
  registerLogCommands(program, io);
  registerContentCommands(program, io);
  registerJobsCommands(program, io);
  registerBackupCommands(program, io);
  registerDeployCommands(program, io);
  for (const cmd of program.commands) cmd.exitOverride().showSuggestionAfterError(true);
  return program;
}

/** Runs the CLI and returns the exit code: 0 done, 1 the operation failed, 2 bad usage or configuration. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
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
