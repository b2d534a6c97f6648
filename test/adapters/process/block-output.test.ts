import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withBlockOutput } from '../../../src/adapters/process/block-output.js';
import { startTool } from '../../../src/adapters/process/tool.js';

describe('block output', () => {
  const saved = process.env.PATH;
  const dirs: string[] = [];
  afterEach(() => {
    process.env.PATH = saved;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** A PATH of one folder holding the named programs (links to the real ones). */
  function pathWith(programs: Record<string, string>): void {
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-path-'));
    dirs.push(dir);
    for (const [name, target] of Object.entries(programs)) symlinkSync(target, join(dir, name));
    process.env.PATH = dir;
  }

  it('runs the program under stdbuf with large writes when both are installed', () => {
    pathWith({ stdbuf: '/usr/bin/stdbuf', 'mariadb-dump': '/bin/true' });
    expect(withBlockOutput('mariadb-dump', ['--x'])).toEqual(['stdbuf', ['--output=256K', 'mariadb-dump', '--x']]);
  });

  it('runs the program as is without stdbuf, or when the program itself is missing', () => {
    pathWith({ 'mariadb-dump': '/bin/true' });
    expect(withBlockOutput('mariadb-dump', ['--x'])).toEqual(['mariadb-dump', ['--x']]);
    pathWith({ stdbuf: '/usr/bin/stdbuf' });
    expect(withBlockOutput('mariadb-dump', ['--x'])).toEqual(['mariadb-dump', ['--x']]);
  });

  it('passes the whole output through and keeps the program in its messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-path-'));
    dirs.push(dir);
    const script = join(dir, 'fake-dump');
    // 300 KB of lines written through stdio, then a failure: stdbuf must neither lose bytes nor hide the name.
    writeFileSync(script, '#!/bin/sh\nseq 1 50000 | sed "s/$/ row/"\necho "boom" >&2\nexit 3\n');
    chmodSync(script, 0o755);
    process.env.PATH = `${dir}:${saved}`;
    const tool = startTool('fake-dump', [], { stdin: 'ignore', blockOutput: true });
    let text = '';
    tool.stdout.on('data', (d: Buffer) => (text += d.toString()));
    await expect(tool.done).rejects.toThrow('fake-dump exited with 3: boom');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(50000);
    expect(lines.at(-1)).toBe('50000 row');
  });
});
