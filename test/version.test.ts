import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVersionInfo } from '../src/version.js';
import { runInkstone } from './support/cli.js';

// `--version` and /health name the commit; a deploy relies on it to tell builds apart. Real git repositories.
describe('readVersionInfo', () => {
  let dir: string;
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' }).trim();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'inkstone-version-'));
    const repo = join(dir, 'repo');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ version: '2.3.4' }));
    git(repo, 'add', 'package.json');
    git(repo, 'commit', '-qm', 'one');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the commit of a clone, loose or packed', () => {
    const repo = join(dir, 'repo');
    const head = git(repo, 'rev-parse', 'HEAD');
    expect(readVersionInfo(repo)).toEqual({ version: '2.3.4', commit: head.slice(0, 12) });
    git(repo, 'pack-refs', '--all', '--prune');
    expect(readVersionInfo(repo).commit).toBe(head.slice(0, 12));
  });

  it('reads the commit of a linked worktree (.git is a file)', () => {
    const repo = join(dir, 'repo');
    const wt = join(dir, 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'side', wt);
    writeFileSync(join(wt, 'package.json'), JSON.stringify({ version: '2.3.5' }));
    git(wt, 'commit', '-qam', 'two');
    expect(readVersionInfo(wt)).toEqual({ version: '2.3.5', commit: git(wt, 'rev-parse', 'HEAD').slice(0, 12) });
  });

  it('prefers build-info.json (the image has no .git)', () => {
    const repo = join(dir, 'repo');
    writeFileSync(join(repo, 'build-info.json'), JSON.stringify({ commit: 'abcdef123456' }));
    expect(readVersionInfo(repo).commit).toBe('abcdef123456');
  });

  it('inkstone --version prints version and, where known, the commit', async () => {
    // The commit part depends on where the tests run (a clone has one, an unpacked tarball none).
    const { version, commit } = readVersionInfo();
    const r = await runInkstone(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`inkstone ${version}${commit ? ` (${commit})` : ''}\n`);
  });
});
