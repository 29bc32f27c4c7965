import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import { findGaps, highPassMedian, median, normalizePpm, robustSigma, sigmaClip, splitAtGaps, toRegularGrid } from '../../src/index.js';

function lcOf(t: number[], f: number[]) {
  return { timeDays: Float64Array.from(t), flux: Float64Array.from(f) };
}

describe('gaps', () => {
  const t = [0, 1, 2, 3, 10, 11, 12, 30];
  const lc = lcOf(
    t,
    t.map(() => 1),
  );
  it('finds gaps longer than 1.5 cadences and splits into segments', () => {
    expect(findGaps(lc).map((g) => [g.index, g.startDays, g.endDays])).toEqual([
      [4, 3, 10],
      [7, 12, 30],
    ]);
    expect(splitAtGaps(lc, 5).map((s) => Array.from(s.timeDays))).toEqual([[0, 1, 2, 3], [10, 11, 12], [30]]);
    expect(splitAtGaps(lc, 5, 2).length).toBe(2);
    expect(() => findGaps(lc, 1)).toThrow(ValueError);
  });
  it('places points on a regular grid with a mask', () => {
    const g = toRegularGrid(lcOf([0, 1, 2, 5], [1, 2, 3, 4]), 1);
    expect(Array.from(g.mask)).toEqual([1, 1, 1, 0, 0, 1]);
    expect(Array.from(g.flux)).toEqual([1, 2, 3, 0, 0, 4]);
    expect(() => toRegularGrid(lcOf([0, 0.1, 1], [1, 1, 1]), 1)).toThrow(/grid cell 0/);
  });
});

describe('sigma clipping', () => {
  it('removes injected outliers and keeps Gaussian points (seeded)', () => {
    let s = 12345;
    const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = 5000;
    const f: number[] = [];
    for (let i = 0; i < n; i++) f.push(Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand()));
    const outliers = [17, 999, 3001];
    for (const i of outliers) f[i] = 50;
    const r = sigmaClip(
      lcOf(
        f.map((_, i) => i),
        f,
      ),
      { sigma: 5 },
    );
    // 3 outliers; a 5σ cut removes a Gaussian point with probability 5.7e-7, so ~0 of 5000.
    expect(r.removed).toBe(3);
    expect(Array.from(r.lightCurve.flux).every((v) => v < 10)).toBe(true);
  });
  it('median and MAD σ match closed forms', () => {
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(robustSigma([1, 2, 3, 4, 5])).toBeCloseTo(1.4826, 10);
  });
});

describe('normalisation', () => {
  it('converts to ppm about each segment median', () => {
    const lc = lcOf([0, 1, 2, 10, 11, 12], [100, 101, 99, 200, 202, 198]);
    const n = normalizePpm(lc, { segmentGapDays: 5 });
    expect(Array.from(n.flux)).toEqual([0, 10000, -10000, 0, 10000, -10000].map((v) => expect.closeTo(v, 6)));
    expect(() => normalizePpm(lcOf([0, 1], [-1, -2]))).toThrow(/median flux/);
  });
  it('high-pass median removes a linear trend', () => {
    const t = Array.from({ length: 400 }, (_, i) => i * 0.01);
    const r = highPassMedian(
      lcOf(
        t,
        t.map((x: number) => 5 * x + Math.sin(2 * Math.PI * x * 20)),
      ),
      0.5,
    );
    const mid = Array.from(r.flux).slice(50, 350);
    expect(Math.max(...mid.map(Math.abs))).toBeLessThan(1.3);
    expect(Math.abs(mid.reduce((a, b) => a + b, 0) / mid.length)).toBeLessThan(0.05);
  });
});
