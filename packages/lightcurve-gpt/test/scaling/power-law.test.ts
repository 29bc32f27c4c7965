import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { fitPowerLaw, fitPowerLawWithFloor } from '../../src/index.js';

describe('scaling-law fits', () => {
  const N = [1e3, 4e3, 2e4, 1e5, 5e5, 2e6];
  it('recover the exponents of exact power laws, with and without an irreducible term', () => {
    const pure = fitPowerLaw(
      N,
      N.map((n) => 3 * n ** -0.2),
    );
    expect(pure.alpha).toBeCloseTo(0.2, 12);
    expect(pure.a).toBeCloseTo(3, 10);
    const f = fitPowerLawWithFloor(
      N,
      N.map((n) => 0.35 + 4 * n ** -0.3),
    );
    expect(f.lInf).toBeCloseTo(0.35, 6);
    expect(f.alpha).toBeCloseTo(0.3, 5);
    expect(f.a).toBeCloseTo(4, 3);
    expect(f.rmsLogResidual).toBeLessThan(1e-7);
    // Without a floor in the data the floor fit goes to L∞ ≈ 0 and agrees with the pure law.
    const g = fitPowerLawWithFloor(
      N,
      N.map((n) => 3 * n ** -0.2),
    );
    expect(g.lInf).toBeLessThan(1e-3);
    expect(g.alpha).toBeCloseTo(0.2, 3);
  });
  it('rejects mismatched, too few or non-positive inputs', () => {
    expect(() => fitPowerLaw([1, 2], [1])).toThrow(ShapeError);
    expect(() => fitPowerLawWithFloor([1, 2], [1, 0.5])).toThrow(/at least 3 points/);
    expect(() => fitPowerLaw([1, 2], [1, -1])).toThrow(ValueError);
  });
});
