import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatIso, parseIso } from '../../src/domain/iso-date.js';

// Every date a Date can hold: ±100,000,000 days around 1970.
const anyTime = fc.integer({ min: -8.64e15, max: 8.64e15 });
// The years toISOString writes with four digits, where the hand-written paths apply.
const fourDigitYears = fc.integer({
  min: new Date('0000-01-01T00:00:00.000Z').getTime(),
  max: Date.UTC(9999, 11, 31, 23, 59, 59, 999),
});

const sameAsBuiltIn = (text: string) => {
  const ours = parseIso(text).getTime();
  const theirs = new Date(text).getTime();
  return Number.isNaN(theirs) ? Number.isNaN(ours) : ours === theirs;
};

describe('formatIso', () => {
  it('writes what toISOString writes, for every date', () => {
    fc.assert(
      fc.property(anyTime, (t) => formatIso(new Date(t)) === new Date(t).toISOString()),
      { numRuns: 20_000 },
    );
    fc.assert(
      fc.property(fourDigitYears, (t) => formatIso(new Date(t)) === new Date(t).toISOString()),
      { numRuns: 20_000 },
    );
  });

  it('handles the edges of the four-digit years and of the fields', () => {
    for (const text of [
      '0000-01-01T00:00:00.000Z',
      '0099-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59.999Z',
      '1970-01-01T00:00:00.000Z',
      '2024-02-29T12:00:00.007Z',
      '2026-11-26T10:05:07.050Z',
    ]) {
      expect(formatIso(new Date(text))).toBe(text);
    }
    expect(formatIso(new Date(Date.UTC(10000, 0, 1)))).toBe('+010000-01-01T00:00:00.000Z');
    expect(formatIso(new Date(Date.UTC(-1, 0, 1)))).toBe('-000001-01-01T00:00:00.000Z');
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => formatIso(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('parseIso', () => {
  it('reads back every date formatIso writes', () => {
    fc.assert(
      fc.property(anyTime, (t) => parseIso(formatIso(new Date(t))).getTime() === t),
      { numRuns: 20_000 },
    );
  });

  it('agrees with the built-in parser on text of the same shape with any digits (months 13, hour 24, 30 Feb)', () => {
    const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
    const shaped = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), fc.option(digits(3)))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${ms === null ? '' : `.${ms}`}Z`);
    fc.assert(fc.property(shaped, sameAsBuiltIn), { numRuns: 20_000 });
    for (const text of [
      '2026-02-29T00:00:00.000Z',
      '2024-02-29T00:00:00.000Z',
      '1900-02-29T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-00-10T00:00:00.000Z',
      '2026-01-00T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '2026-01-01T23:60:00.000Z',
      '2026-01-01T23:59:60.000Z',
      '0050-06-01T12:00:00.000Z',
      '2026-11-26T10:05:07Z',
    ]) {
      expect(sameAsBuiltIn(text), text).toBe(true);
    }
  });

  it('leaves any other text to the built-in parser', () => {
    fc.assert(fc.property(fc.string(), sameAsBuiltIn), { numRuns: 5_000 });
    for (const text of [
      '2026-11-26T10:05:07.1Z',
      '2026-11-26T10:05:07.123456Z',
      '2026-11-26 10:05:07',
      'x'.repeat(24),
    ]) {
      expect(sameAsBuiltIn(text), text).toBe(true);
    }
  });
});
