/**
 * Just enough of npm's range grammar to check `engines` and lockfile entries: comparators (>=, >, <, <=, =),
 * caret, tilde, x-ranges, hyphen-free AND (space) and OR (`||`). Pre-release tags compare as lower, like npm.
 * The `semver` package is not a dependency of ours, and this is the only place that needs it.
 */
type Triple = [number, number, number];

export function parseVersion(text: string): { v: Triple; pre: boolean } | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+.*)?$/.exec(text.trim());
  if (!m) return undefined;
  return { v: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] !== undefined };
}

function compare(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! - b[i]!;
  return 0;
}

type Test = (v: Triple) => boolean;

/** One comparator such as `>=20.12`, `^3.1.0`, `~0.28.19`, `1.x` or `*`; partial versions fill with 0. */
function comparator(token: string): Test | undefined {
  const m = /^(>=|<=|>|<|=|\^|~)?v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-[0-9A-Za-z.-]+)?$/.exec(token);
  if (!m) return token === '*' || token === '' ? () => true : undefined;
  const op = m[1] ?? '';
  const parts = [m[2], m[3], m[4]].map((p) => (p === undefined || /[xX*]/.test(p) ? undefined : Number(p)));
  const given = parts.findIndex((p) => p === undefined);
  const precision = given === -1 ? 3 : given; // how many numbers were spelled out
  const base: Triple = [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
  const bump = (i: number): Triple =>
    i === 0 ? [base[0] + 1, 0, 0] : i === 1 ? [base[0], base[1] + 1, 0] : [base[0], base[1], base[2] + 1];
  const between =
    (lo: Triple, hi: Triple): Test =>
    (v) =>
      compare(v, lo) >= 0 && compare(v, hi) < 0;
  switch (op) {
    case '>=':
      return (v) => compare(v, base) >= 0;
    case '>':
      return precision === 3 ? (v) => compare(v, base) > 0 : (v) => compare(v, bump(precision - 1)) >= 0;
    case '<':
      return (v) => compare(v, base) < 0;
    case '<=':
      return precision === 3 ? (v) => compare(v, base) <= 0 : (v) => compare(v, bump(precision - 1)) < 0;
    case '^': {
      // ^1.2.3 := <2.0.0, ^0.2.3 := <0.3.0, ^0.0.3 := <0.0.4 (the first non-zero part is fixed)
      const fixed = base[0] !== 0 || precision === 1 ? 0 : base[1] !== 0 || precision === 2 ? 1 : 2;
      return between(base, bump(fixed));
    }
    case '~':
      return between(base, bump(precision >= 2 ? 1 : 0));
    default:
      return precision === 0
        ? () => true
        : precision === 3
          ? (v) => compare(v, base) === 0
          : between(base, bump(precision - 1));
  }
}

/** Whether `version` satisfies `range`; undefined when either cannot be read (the caller says so). */
export function satisfies(version: string, range: string): boolean | undefined {
  const parsed = parseVersion(version);
  if (!parsed) return undefined;
  const alternatives = range.split('||').map((alt) =>
    alt
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter((t) => t !== '')
      .map(comparator),
  );
  if (alternatives.some((alt) => alt.some((t) => t === undefined))) return undefined;
  return alternatives.some((alt) => (alt as Test[]).every((t) => t(parsed.v)));
}
