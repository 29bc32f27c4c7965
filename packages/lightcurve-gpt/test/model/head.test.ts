import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, ValueError } from '@astro/core';
import { fitRidge, fitRidgeCV, predictRidge } from '../../src/index.js';

describe('ridge head', () => {
  it('recovers a noiseless linear map exactly with α = 0 and shrinks with large α', () => {
    const n = 40;
    const d = 3;
    const x = Float64Array.from({ length: n * d }, (_, i) => Math.sin(i * 1.3) + (i % d));
    const y = Float64Array.from({ length: n }, (_, i) => 2 * x[i * d]! - 0.5 * x[i * d + 1]! + 3 * x[i * d + 2]! + 7);
    const h = fitRidge(x, y, d, 0);
    const p = predictRidge(h, x);
    for (let i = 0; i < n; i++) expect(p[i]).toBeCloseTo(y[i]!, 8);
    const big = predictRidge(fitRidge(x, y, d, 1e9), x);
    const mean = y.reduce((a, b) => a + b, 0) / n;
    for (let i = 0; i < n; i++) expect(big[i]).toBeCloseTo(mean, 3);
    expect(() => fitRidge(x, y, 4)).toThrow(ShapeError);
  });
  it('cross-validation picks a small α for a clean linear signal and a large one for pure noise', () => {
    const rng = new Rng(4);
    const n = 30;
    const d = 20;
    const x = Float64Array.from({ length: n * d }, () => rng.normal());
    const clean = Float64Array.from({ length: n }, (_, i) => x[i * d]! - 2 * x[i * d + 3]!);
    const noise = Float64Array.from({ length: n }, () => rng.normal());
    const a = fitRidgeCV(x, clean, d);
    const b = fitRidgeCV(x, noise, d);
    expect(a.alpha).toBeLessThanOrEqual(1);
    expect(b.alpha).toBeGreaterThanOrEqual(100);
    expect(a.cvError).toBeLessThan(0.1);
    expect(b.cvError).toBeGreaterThan(0.5);
    expect(() => fitRidgeCV(x.subarray(0, 2 * d), clean.subarray(0, 2), d)).toThrow(ValueError);
  });
});
