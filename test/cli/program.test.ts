import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { PassThrough, Readable } from 'node:stream';
import type { CliIO } from '../../src/cli/io.js';
import { buildProgram, COMMAND_GROUPS } from '../../src/cli/program.js';
import { runInkstone } from '../support/cli.js';

const io: CliIO = {
  env: { APP_ENV: 'test' },
  cwd: process.cwd(),
  stdout: new PassThrough(),
  stderr: new PassThrough(),
  stdin: Readable.from([]),
  waitForStop: () => new Promise(() => {}),
};

describe('lazily loaded command groups', () => {
  it('each group lists exactly the commands its module registers', async () => {
    for (const group of COMMAND_GROUPS) {
      const program = new Command('inkstone');
      (await group.load())(program, io);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...group.commands].sort());
    }
  });

  it('no command name belongs to two groups', () => {
    const all = COMMAND_GROUPS.flatMap((g) => g.commands);
    expect(new Set(all).size).toBe(all.length);
  });

  it('a known command loads only its own group; help, options and typos load every group', async () => {
    const serve = await buildProgram(io, ['serve', '--port', '1']);
    expect(serve.commands.map((c) => c.name())).toEqual(['serve']);
    const backup = await buildProgram(io, ['backup:list']);
    expect(backup.commands.map((c) => c.name()).sort()).toEqual(
      COMMAND_GROUPS.find((g) => g.commands.includes('backup:list'))!
        .commands.slice()
        .sort(),
    );
    const every = COMMAND_GROUPS.flatMap((g) => g.commands).sort();
    for (const argv of [[], ['--help'], ['help'], ['serv'], ['-V']]) {
      const program = await buildProgram(io, argv);
      expect(program.commands.map((c) => c.name()).sort(), argv.join(' ')).toEqual(every);
    }
  });

  it('--help lists every command and a typo still gets a suggestion', async () => {
    const help = await runInkstone(['--help']);
    expect(help.code).toBe(0);
    for (const name of COMMAND_GROUPS.flatMap((g) => g.commands)) expect(help.stdout).toContain(`  ${name} `);
    const typo = await runInkstone(['backup:lst']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('backup:list');
  });
});
