import type { Row } from './report.js';

export interface SiteRow extends Row {
  path: string;
  /** `floor`: the minimal reference server (bench/lib/floor-server.ts), reported and never judged. */
  cache: 'on' | 'off' | 'floor';
  bareP99Ms: number;
  bareCpuUsPerRequest: number | undefined;
  /** Each round's ratio (the row's `ratio` is their median). */
  roundRatios?: number[];
}

export interface Verdict {
  name: string;
  pass: boolean;
  actual: string;
}

export function printSiteTable(rows: SiteRow[]): void {
  const headers = [
    'scenario',
    'cache',
    'rps',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'bare rps',
    'bare p99',
    'ratio',
    'rounds',
    'CPU µs/req',
    'bare CPU µs',
    'CPU ratio',
    'client µs',
  ];
  const cells = rows.map((r) => [
    r.scenario,
    r.cache,
    String(r.rps),
    String(r.p50Ms),
    String(r.p99Ms),
    String(r.non2xx),
    String(r.errors),
    String(r.bareRps),
    String(r.bareP99Ms),
    r.ratio.toFixed(3),
    roundRange(r.roundRatios),
    String(r.cpuUsPerRequest ?? '-'),
    String(r.bareCpuUsPerRequest ?? '-'),
    cpuRatio(r)?.toFixed(3) ?? '-',
    String(r.clientCpuUsPerRequest ?? '-'),
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i < 2 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(headers));
  for (const c of cells) console.log(line(c));
  const sizes = [...new Map(rows.map((r) => [r.scenario, r.bodyBytes])).entries()];
  console.log('rps, times and CPU: the median of the rounds; ratio: the median of the rounds’ own ratios.');
  console.log(`body bytes: ${sizes.map(([s, b]) => `${s} ${b}`).join(', ')}`);
  console.log(
    'CPU ratio: the bare server’s CPU time per request over this server’s (1.0 = as cheap as node:http). Unlike ' +
      'the rps ratio it does not move when other work shares the machine.',
  );
  if (rows.some((r) => r.cache === 'floor')) {
    console.log(
      'floor: the least a Node server does for the same response (bench/lib/floor-server.ts: one SQLite statement, ' +
        'JSON.stringify, an ETag, node:http); a reference, not a target.',
    );
  }
}

/** The lowest and highest of a row's round ratios. */
function roundRange(ratios: number[] | undefined): string {
  if (!ratios || ratios.length < 2) return '-';
  return `${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}`;
}

/** The bare server's CPU time per request over this server's, when both were measured. */
export function cpuRatio(row: SiteRow): number | undefined {
  if (row.cpuUsPerRequest === undefined || row.bareCpuUsPerRequest === undefined || row.cpuUsPerRequest === 0) {
    return undefined;
  }
  return row.bareCpuUsPerRequest / row.cpuUsPerRequest;
}

/**
 * The issue's targets, as ratios to the bare server in the same run. The cache-off floors are stated for SQLite;
 * on other databases they are reported, not judged.
 */
export function evaluateTargets(
  rows: SiteRow[],
  rssMb: { on: number; off: number },
  dialect: string,
  options: { partial?: boolean } = {},
): Verdict[] {
  // A run that answered anything but 2xx has no meaningful ratio (a 404 is cheap): it counts as 0.
  const ratio = (scenario: string, cache: 'on' | 'off') => {
    const row = rows.find((r) => r.scenario === scenario && r.cache === cache);
    return row && row.non2xx === 0 && row.errors === 0 ? row.ratio : 0;
  };
  const floors: [string, 'on' | 'off', number][] = [
    ['home', 'on', 0.6],
    ['article page', 'on', 0.6],
  ];
  if (dialect === 'sqlite') {
    floors.push(['article page', 'off', 0.04], ['API single', 'off', 0.17], ['API list(15)', 'off', 0.05]);
  }
  // A filtered run (BENCH_ONLY / BENCH_CACHE) judges the rows it has; the RSS after all runs needs every run.
  const measured = options.partial
    ? floors.filter(([scenario, cache]) => rows.some((r) => r.scenario === scenario && r.cache === cache))
    : floors;
  const verdicts: Verdict[] = measured.map(([scenario, cache, floor]) => ({
    name: `${scenario}, cache ${cache} >= ${floor}x bare`,
    pass: ratio(scenario, cache) >= floor,
    actual: `${ratio(scenario, cache).toFixed(3)}x`,
  }));
  const failing = rows.filter((r) => r.non2xx > 0 || r.errors > 0);
  verdicts.push({
    name: 'no non-2xx responses or errors',
    pass: failing.length === 0,
    actual:
      failing.length === 0
        ? 'none'
        : failing.map((r) => `${r.scenario}/${r.cache}: ${r.non2xx}+${r.errors}`).join(', '),
  });
  for (const cache of ['on', 'off'] as const) {
    if (options.partial) break;
    verdicts.push({
      name: `RSS after all runs (cache ${cache}) <= 150 MB`,
      pass: rssMb[cache] <= 150,
      actual: `${rssMb[cache]} MB`,
    });
  }
  return verdicts;
}
