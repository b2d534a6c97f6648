import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DailyFileStream, dailyFileName } from '../../../src/adapters/log/daily-file.js';

// The real file system: lines are checked in the files the channel writes.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'inkstone-daily-'));
  dirs.push(d);
  return d;
};
const read = (dir: string, day: string) => {
  const f = join(dir, `inkstone-${day}.log`);
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
};

describe('DailyFileStream', () => {
  it('lines reach the file within a turn of the event loop, without a close or 4 KB piling up', async () => {
    const dir = tempDir();
    const stream = new DailyFileStream(dir, 14);
    stream.write('{"msg":"one"}\n');
    const file = join(dir, dailyFileName(new Date()));
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline && !(existsSync(file) && readFileSync(file, 'utf8').includes('one'))) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(readFileSync(file, 'utf8')).toBe('{"msg":"one"}\n');
    await stream.end();
  });

  it('keeps every line, in order, across batches; end() resolves once they are all in the file', async () => {
    const dir = tempDir();
    const stream = new DailyFileStream(dir, 14);
    const lines: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      for (let i = 0; i < 2000; i++) {
        const line = `{"n":${batch * 2000 + i},"text":"${'数据'.repeat(i % 7)}"}\n`;
        lines.push(line);
        stream.write(line);
      }
      await new Promise((r) => setImmediate(r));
    }
    await stream.end();
    expect(readFileSync(join(dir, dailyFileName(new Date())), 'utf8')).toBe(lines.join(''));
  });

  it('a line goes to the file of the day it is written in, also within one turn; old files go at the switch', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'inkstone-2026-10-01.log'), 'old\n');
    let now = new Date('2026-11-25T23:59:59.999Z');
    const stream = new DailyFileStream(dir, 14, () => now.getTime());
    stream.write('late\n');
    now = new Date('2026-11-26T00:00:00.000Z');
    stream.write('early\n');
    await stream.end();
    // The old day's file closes by itself once its last write has landed.
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline && read(dir, '2026-11-25') === '') await new Promise((r) => setTimeout(r, 10));
    expect(read(dir, '2026-11-25')).toBe('late\n');
    expect(read(dir, '2026-11-26')).toBe('early\n');
    expect(readdirSync(dir).sort()).toEqual(['inkstone-2026-11-25.log', 'inkstone-2026-11-26.log']);
  });

  it('a write after end reopens the file instead of throwing', async () => {
    const dir = tempDir();
    const now = new Date('2026-11-26T10:00:00.000Z');
    const stream = new DailyFileStream(dir, 14, () => now.getTime());
    stream.write('a\n');
    await stream.end();
    stream.write('b\n');
    await stream.end();
    expect(read(dir, '2026-11-26')).toBe('a\nb\n');
  });
});
