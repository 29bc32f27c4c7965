import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { compareClose } from '@astro/core/testing';
import { bayesianLinearRegression, demingRegression, fitLeastSquares, gaussianBasis, polynomialBasis, yorkFit } from '../src/index.js';
import { laplaceCovariance } from '../src/linalg/index.js';

/** Seeded normal deviates for the Monte-Carlo check (mulberry32 + Box–Muller). */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

interface Fx {
  ridge: { X: number[][]; y: number[]; yerr: number[]; alpha: number; coef: number[]; ols_coef: number[]; ols_cov: number[] };
  bayes: {
    prior_mean: number[];
    prior_cov: number[];
    mean: number[];
    cov: number[];
    log_evidence: number;
    x_star: number[][];
    pred_mean: number[];
    pred_var: number[];
  };
  odr: { x: number[]; y: number[]; sx: number[]; sy: number[]; intercept: number; slope: number };
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/regression.json', import.meta.url), 'utf8')) as Fx;

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  const r = compareClose(a, b, { atol: tol, rtol: tol });
  expect(r.ok, r.message).toBe(true);
}

describe('fitLeastSquares', () => {
  it('OLS: coefficients and the residual-scaled covariance match NumPy', () => {
    const fit = fitLeastSquares(fx.ridge.X, fx.ridge.y);
    expectClose(fit.coef, fx.ridge.ols_coef, 1e-12);
    expectClose(fit.cov, fx.ridge.ols_cov, 1e-11);
  });

  it('weighted ridge matches sklearn Ridge(sample_weight = 1/σ²)', () => {
    const fit = fitLeastSquares(fx.ridge.X, fx.ridge.y, { yErr: fx.ridge.yerr, ridge: fx.ridge.alpha });
    expectClose(fit.coef, fx.ridge.coef, 1e-10);
  });

  it('a quadratic through exact data is recovered; the basis helpers have the documented columns', () => {
    const x = [-2, -1, 0, 1, 2, 3];
    const y = x.map((t) => 1 - 2 * t + 0.5 * t * t);
    const fit = fitLeastSquares(polynomialBasis(x, 2), y, { yErr: 0.1 });
    expectClose(fit.coef, [1, -2, 0.5], 1e-12);
    expect(fit.chi2).toBeLessThan(1e-20);
    const pred = fit.predict(polynomialBasis([4], 2));
    expect(pred.mean[0]).toBeCloseTo(1 - 8 + 8, 10);
    const g = gaussianBasis([0, 1], [0, 2], 1);
    expect(Array.from(g.data)).toEqual([1, 1, Math.exp(-2), 1, Math.exp(-0.5), Math.exp(-0.5)]);
  });

  it('rank-deficient designs and bad input give typed errors', () => {
    const X = [
      [1, 2],
      [2, 4],
      [3, 6],
    ];
    expect(() => fitLeastSquares(X, [1, 2, 3])).toThrow(/rank-deficient/);
    expect(() => fitLeastSquares([[1], [2]], [1, 2, 3])).toThrow(ShapeError);
    expect(() => fitLeastSquares([[1], [2]], [1, 2], { yErr: [1, -1] })).toThrow(ValueError);
    expect(() => fitLeastSquares([[1], [NaN]], [1, 2])).toThrow(/row 1, column 0/);
    expect(() => fitLeastSquares([[1, 2], [3]], [1, 2])).toThrow(/row 1 has 1 values/);
  });
});

describe('bayesianLinearRegression', () => {
  it('posterior, predictive and evidence match the closed form and scipy.stats.multivariate_normal', () => {
    const b = fx.bayes;
    const fit = bayesianLinearRegression(fx.ridge.X, fx.ridge.y, {
      yErr: fx.ridge.yerr,
      priorMean: b.prior_mean,
      priorCov: b.prior_cov,
    });
    expectClose(fit.mean, b.mean, 1e-11);
    expectClose(fit.cov, b.cov, 1e-11);
    expect(fit.logEvidence).toBeCloseTo(b.log_evidence, 9);
    const p = fit.predict(b.x_star);
    expectClose(p.mean, b.pred_mean, 1e-11);
    expectClose(p.variance, b.pred_var, 1e-11);
    const withNoise = fit.predict(b.x_star, 2);
    withNoise.variance.forEach((v, i) => expect(v).toBeCloseTo(b.pred_var[i]! + 4, 10));
  });

  it('a broad prior gives the weighted least-squares answer', () => {
    const fit = bayesianLinearRegression(fx.ridge.X, fx.ridge.y, { yErr: fx.ridge.yerr, priorCov: 1e-10 });
    const wls = fitLeastSquares(fx.ridge.X, fx.ridge.y, { yErr: fx.ridge.yerr });
    expectClose(fit.mean, wls.coef, 1e-7);
    expectClose(fit.cov, wls.cov, 1e-7);
  });

  it('rejects a non-positive-definite prior covariance', () => {
    expect(() =>
      bayesianLinearRegression(
        [
          [1, 0],
          [0, 1],
        ],
        [1, 2],
        { yErr: 1, priorCov: [1, 2, 2, 1] },
      ),
    ).toThrow(/positive definite/);
  });
});

describe('errors in both coordinates', () => {
  it('York’s heteroscedastic line equals scipy.odr on uncorrelated errors', () => {
    const o = fx.odr;
    const fit = yorkFit(o.x, o.y, o.sx, o.sy);
    // ODR's finite-difference Jacobian limits its own precision to ~1e-8.
    expect(fit.slope).toBeCloseTo(o.slope, 7);
    expect(fit.intercept).toBeCloseTo(o.intercept, 6);
  });

  it('York with constant errors equals Deming with δ = σy²/σx² (and OLS as σx → 0)', () => {
    const o = fx.odr;
    const y = yorkFit(o.x, o.y, 0.3, 0.9);
    const d = demingRegression(o.x, o.y, { delta: (0.9 / 0.3) ** 2 });
    expect(d.slope).toBeCloseTo(y.slope, 10);
    expect(d.intercept).toBeCloseTo(y.intercept, 9);
    const ols = fitLeastSquares(polynomialBasis(o.x, 1), o.y);
    const nearOls = demingRegression(o.x, o.y, { delta: 1e12 });
    expect(nearOls.slope).toBeCloseTo(ols.coef[1]!, 8);
  });

  it('Deming and York standard errors match the seeded Monte-Carlo scatter within 15%', () => {
    const normal = normals(11);
    const n = 60,
      reps = 400,
      sx = 0.5,
      sy = 1.0;
    const xt = Array.from({ length: n }, (_, i) => (10 * i) / n);
    const slopes: number[] = [];
    const demingErr: number[] = [];
    const yorkErr: number[] = [];
    for (let r = 0; r < reps; r++) {
      const x = xt.map((t) => t + sx * normal());
      const y = xt.map((t) => 2 + 0.7 * t + sy * normal());
      const d = demingRegression(x, y, { delta: (sy / sx) ** 2 });
      slopes.push(d.slope);
      demingErr.push(d.slopeErr);
      yorkErr.push(yorkFit(x, y, sx, sy).slopeErr);
    }
    const mean = slopes.reduce((a, b) => a + b, 0) / reps;
    const sd = Math.sqrt(slopes.reduce((a, b) => a + (b - mean) ** 2, 0) / (reps - 1));
    const avg = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    expect(Math.abs(mean - 0.7)).toBeLessThan((3 * sd) / Math.sqrt(reps) + 0.01);
    expect(avg(demingErr) / sd).toBeGreaterThan(0.85);
    expect(avg(demingErr) / sd).toBeLessThan(1.15);
    expect(avg(yorkErr) / sd).toBeGreaterThan(0.85);
    expect(avg(yorkErr) / sd).toBeLessThan(1.15);
  });

  it('typed errors', () => {
    expect(() => demingRegression([1, 2], [1, 2])).toThrow(ShapeError);
    expect(() => demingRegression([1, 2, 3], [1, 2, 3], { delta: 0 })).toThrow(ValueError);
    expect(() => yorkFit([1, 2, 3], [1, 2, 3], 1, 1, { rhoXY: [0, 1, 0] })).toThrow(/rhoXY/);
  });
});

describe('laplaceCovariance', () => {
  it('inverts a positive-definite Hessian and refuses (NaN) an indefinite one instead of jittering it', () => {
    expect(Array.from(laplaceCovariance(Float64Array.of(4, 0, 0, 0.25), 2))).toEqual([0.25, 0, 0, 4]);
    expect(Array.from(laplaceCovariance(Float64Array.of(1, 0, 0, -1), 2)).every(Number.isNaN)).toBe(true);
  });
});
