import { describe, expect, it } from 'vitest';
import { satisfies } from '../../../src/ops/deploy-check/semver-range.js';

describe('satisfies', () => {
  it.each([
    ['v20.20.2', '>=20.12', true],
    ['v20.11.9', '>=20.12', false],
    ['22.1.0', '>=20.12 <23', true],
    ['23.0.0', '>=20.12 <23', false],
    ['18.19.0', '^20.12.0 || ^22', false],
    ['22.9.0', '^20.12.0 || ^22', true],
    ['3.1175.0', '^3.1175.0', true],
    ['4.0.0', '^3.1175.0', false],
    ['0.28.19', '~0.28.19', true],
    ['0.28.25', '~0.28.19', true],
    ['0.29.0', '~0.28.19', false],
    ['0.2.9', '^0.2.3', true],
    ['0.3.0', '^0.2.3', false],
    ['0.0.4', '^0.0.3', false],
    ['1.9.9', '1.x', true],
    ['2.0.0', '1.x', false],
    ['5.9.3', '5.9.3', true],
    ['5.9.4', '5.9.3', false],
    ['1.0.0', '*', true],
    ['20.0.0', '> 19', true],
    ['19.5.0', '> 19', false],
    ['19.5.0', '<=19', true],
  ])('%s in %s is %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('answers undefined for what it cannot read', () => {
    expect(satisfies('twenty', '>=20')).toBeUndefined();
    expect(satisfies('20.0.0', 'latest')).toBeUndefined();
  });
});
