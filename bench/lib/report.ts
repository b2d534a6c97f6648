import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.js';
import type { LoadResult } from './load.js';

export interface Row extends LoadResult {
  scenario: string;
  bodyBytes: number;
  bareRps: number;
  ratio: number;
}

export function printTable(rows: Row[]): void {
  const headers = [
    'scenario',
    'rps',
    'bare rps',
    'ratio',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'body bytes',
    'CPU µs/req',
  ];
  const cells = rows.map((r) => [
    r.scenario,
    String(r.rps),
    String(r.bareRps),
    r.ratio.toFixed(3),
    String(r.p50Ms),
    String(r.p99Ms),
    String(r.non2xx),
    String(r.errors),
    String(r.bodyBytes),
    String(r.cpuUsPerRequest ?? '-'),
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => v.padStart(widths[i]!)).join('  ');
  console.log(line(headers));
  for (const c of cells) console.log(line(c));
}

/** Writes bench/results/<timestamp>-<name>.json (or <timestamp>.json without a name) and returns its path. */
export function saveResults(name: string | undefined, data: unknown): string {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, name ? `${stamp}-${name}.json` : `${stamp}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}
