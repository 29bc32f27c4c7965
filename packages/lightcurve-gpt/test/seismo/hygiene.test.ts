import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { numericHessian } from '@astro/core/linalg';
import { binToCadence, describeHygiene, powerDensity, sortAndMerge } from '../../src/index.js';

const lcOf = (t: number[], f: number[]) => ({ timeDays: Float64Array.from(t), flux: Float64Array.from(f) });

describe('input hygiene (binToCadence)', () => {
  it('sorts, merges exact repeats and bins sub-cadence jitter onto the grid, counting each', () => {
    const g = binToCadence(lcOf([0, 2, 1, 1, 3.04, 3.3, 5], [1, 3, 2, 4, 5, 7, 9]), { cadenceDays: 1 });
    expect(Array.from(g.lightCurve.timeDays)).toEqual([0, 1, 2, 3, 5]);
    expect(Array.from(g.lightCurve.flux)).toEqual([1, 3, 3, 6, 9]);
    expect(Array.from(g.cell)).toEqual([0, 1, 2, 3, 5]);
    expect(g.cells).toBe(6);
    expect(g.report).toMatchObject({ input: 7, sorted: true, mergedDuplicates: 1, binned: 1, kept: 5, coarsened: 1, droppedNonFinite: 0 });
    expect(g.report.maxOffsetCadences).toBeCloseTo(0.3, 12);
    expect(describeHygiene(g.report)).toMatch(/sorted the times; merged 1 repeated time stamps; binned 1 sub-cadence stamps/);
  });
  it('finds the cadence as the median spacing of distinct stamps', () => {
    const t = Array.from({ length: 100 }, (_, i) => i * 0.02 + (i % 7 === 0 ? 0.003 : 0));
    expect(binToCadence(lcOf(t, t)).report.cadenceDays).toBeCloseTo(0.02, 12);
  });
  it('coarsens the cadence instead of allocating an enormous grid', () => {
    const g = binToCadence(lcOf([0, 1e-6, 100], [1, 2, 3]), { cadenceDays: 1e-6, maxCells: 1 << 20 });
    expect(g.report.coarsened).toBeGreaterThan(1);
    expect(g.cells).toBeLessThanOrEqual(1 << 20);
  });
  it('NaN: typed error naming the index, or dropped and counted on request', () => {
    expect(() => binToCadence(lcOf([0, 1, 2], [1, NaN, 3]))).toThrow(/flux\[1\] is NaN/);
    expect(() => binToCadence(lcOf([0, Infinity], [1, 2]))).toThrow(ValueError);
    expect(binToCadence(lcOf([0, 1, 2], [1, NaN, 3]), { nonFinite: 'drop' }).report.droppedNonFinite).toBe(1);
    expect(() => binToCadence(lcOf([], []))).toThrow(ShapeError);
    expect(() => binToCadence(lcOf([0, 1], [1]))).toThrow(ShapeError);
  });
  it('sortAndMerge keeps every distinct stamp', () => {
    const s = sortAndMerge(lcOf([3, 1, 1, 2], [6, 1, 3, 4]));
    expect(Array.from(s.timeDays)).toEqual([1, 2, 3]);
    expect(Array.from(s.flux)).toEqual([2, 4, 6]);
    expect(s).toMatchObject({ sorted: true, mergedDuplicates: 1 });
  });
  it('the spectrum of a sine with jittered and repeated stamps matches the clean one', () => {
    const dt = 58.85 / 86400;
    const nu = 1500e-6 * 86400; // cycles per day
    const t: number[] = [];
    const f: number[] = [];
    for (let i = 0; i < 8192; i++) {
      const ti = i * dt + (i % 3 === 0 ? 0.04 * dt : 0);
      t.push(ti);
      f.push(20 * Math.sin(2 * Math.PI * nu * i * dt));
      if (i % 50 === 0) {
        t.push(ti);
        f.push(20 * Math.sin(2 * Math.PI * nu * i * dt));
      }
    }
    const clean = powerDensity(
      lcOf(
        Array.from({ length: 8192 }, (_, i) => i * dt),
        Array.from({ length: 8192 }, (_, i) => 20 * Math.sin(2 * Math.PI * nu * i * dt)),
      ),
    );
    const messy = powerDensity(lcOf(t, f));
    expect(messy.nyquistMicroHz).toBeCloseTo(clean.nyquistMicroHz, 9);
    for (let k = 0; k < clean.power.length; k += 97) expect(messy.power[k]).toBeCloseTo(clean.power[k]!, 9);
  });
});

describe('numericHessian (@astro/core/linalg)', () => {
  it('recovers the matrix of a quadratic form and the curvature of a log-likelihood', () => {
    const A = [4, 1, 0.5, 1, 3, -0.2, 0.5, -0.2, 2];
    const q = (x: Float64Array) =>
      0.5 * [0, 1, 2].reduce((s, i) => s + [0, 1, 2].reduce((t, j) => t + x[i]! * A[i * 3 + j]! * x[j]!, 0), 0);
    const H = numericHessian(q, [0.3, -1.2, 2]);
    A.forEach((a, i) => expect(H[i]).toBeCloseTo(a, 6));
    // Gaussian NLL in ln σ: d²/d(lnσ)² [n lnσ + S/(2σ²)] = 2S/σ² at any σ.
    const S = 7;
    const n = 5;
    const h = numericHessian((x) => n * x[0]! + S / (2 * Math.exp(2 * x[0]!)), [0.4]);
    expect(h[0]).toBeCloseTo((2 * S) / Math.exp(0.8), 5);
    expect(() => numericHessian(() => NaN, [1])).toThrow(ValueError);
    expect(() => numericHessian((x) => x[0]!, [])).toThrow(ShapeError);
  });
});
