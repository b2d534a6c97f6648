import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DAILY_FILE } from '../../adapters/log/daily-file.js';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

export function levelNumber(name: string): number | undefined {
  return LEVELS[name];
}

/** The daily files in `dir`, oldest first. */
export async function dailyFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => DAILY_FILE.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/** A line passes when it is JSON with a level at or above `minLevel` (non-JSON lines pass only with no filter). */
export function passes(line: string, minLevel: number | undefined): boolean {
  if (minLevel === undefined) return line.trim() !== '';
  try {
    return ((JSON.parse(line) as { level?: number }).level ?? 0) >= minLevel;
  } catch {
    return false;
  }
}

/** The last `n` lines that pass the filter, reading files newest first and each from its end in 64 KB steps. */
export async function lastLines(files: string[], n: number, minLevel: number | undefined): Promise<string[]> {
  const out: string[] = [];
  for (let f = files.length - 1; f >= 0 && out.length < n; f--) {
    const handle = await open(files[f]!, 'r');
    try {
      let pos = (await handle.stat()).size;
      let carry = '';
      while (pos > 0 && out.length < n) {
        const size = Math.min(65536, pos);
        pos -= size;
        const buf = Buffer.alloc(size);
        await handle.read(buf, 0, size, pos);
        const parts = (buf.toString('utf8') + carry).split('\n');
        carry = pos > 0 ? parts.shift()! : '';
        for (let i = parts.length - 1; i >= 0 && out.length < n; i--)
          if (passes(parts[i]!, minLevel)) out.push(parts[i]!);
      }
      if (carry && out.length < n && passes(carry, minLevel)) out.push(carry);
    } finally {
      await handle.close();
    }
  }
  return out.reverse();
}

/** Bytes appended to `file` since `from`, split into complete lines (a partial last line waits for the next call). */
export async function readAppended(file: string, from: number): Promise<{ lines: string[]; next: number }> {
  const size = (await stat(file)).size;
  if (size <= from) return { lines: [], next: size < from ? 0 : from };
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(size - from);
    await handle.read(buf, 0, buf.length, from);
    const text = buf.toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end < 0) return { lines: [], next: from };
    return { lines: text.slice(0, end).split('\n'), next: from + Buffer.byteLength(text.slice(0, end + 1)) };
  } finally {
    await handle.close();
  }
}

/** One human line for a JSON log entry: time, level, message, and the request fields when present. */
export function formatEntry(line: string): string {
  try {
    const e = JSON.parse(line) as Record<string, unknown> & { level?: number; time?: string; msg?: string };
    const level = Object.entries(LEVELS).find(([, v]) => v === e.level)?.[0] ?? String(e.level);
    const extras = ['reqId', 'method', 'route', 'status', 'ms', 'userId']
      .filter((k) => e[k] !== undefined && e[k] !== null)
      .map((k) => `${k}=${String(e[k])}`);
    const err = (e.err as { message?: string } | undefined)?.message;
    return `${e.time ?? ''} ${level.toUpperCase().padEnd(5)} ${e.msg ?? ''}${extras.length ? ` ${extras.join(' ')}` : ''}${err ? ` err="${err}"` : ''}`;
  } catch {
    return line;
  }
}
