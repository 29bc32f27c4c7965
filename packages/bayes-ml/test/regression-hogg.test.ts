import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { fitLeastSquares, fitLine2d, fitLineMixture, polynomialBasis, yorkFit } from '../src/index.js';

/**
 * Hogg, Bovy & Lang (2010), "Data analysis recipes: fitting a model to data", Table 1:
 * ID, x, y, σy, σx, ρxy.
 */
const TABLE1: ReadonlyArray<readonly number[]> = [
  [1, 201, 592, 61, 9, -0.84],
  [2, 244, 401, 25, 4, 0.31],
  [3, 47, 583, 38, 11, 0.64],
  [4, 287, 402, 15, 7, -0.27],
  [5, 203, 495, 21, 5, -0.33],
  [6, 58, 173, 15, 9, 0.67],
  [7, 210, 479, 27, 4, -0.02],
  [8, 202, 504, 14, 4, -0.05],
  [9, 198, 510, 30, 11, -0.84],
  [10, 158, 416, 16, 7, -0.69],
  [11, 165, 393, 14, 5, 0.3],
  [12, 201, 442, 25, 5, -0.46],
  [13, 157, 317, 52, 5, -0.03],
  [14, 131, 311, 16, 6, 0.5],
  [15, 166, 400, 34, 6, 0.73],
  [16, 160, 337, 31, 5, -0.52],
  [17, 186, 423, 42, 9, 0.9],
  [18, 125, 334, 26, 8, 0.4],
  [19, 218, 533, 16, 6, -0.78],
  [20, 146, 344, 22, 5, -0.56],
];
const col = (j: number, from = 0): number[] => TABLE1.slice(from).map((r) => r[j]!);
const all = { x: col(1), y: col(2), sigmaY: col(3), sigmaX: col(4), rhoXY: col(5) };
const last16 = { x: col(1, 4), y: col(2, 4), sigmaY: col(3, 4), sigmaX: col(4, 4), rhoXY: col(5, 4) };

interface Fx {
  table1: { x: number[]; y: number[]; sigma_y: number[]; sigma_x: number[]; rho_xy: number[] };
  wls_5_20: { b: number; m: number; sb: number; sm: number; chi2: number };
  mixture_all: { b: number; m: number; Pb: number; Yb: number; Vb: number; logL: number; outlier_prob: number[] };
  line2d_5_20: { m: number; b: number; logL: number };
  line2d_scatter_all: { m: number; b: number; logL: number; scatter: number };
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/regression.json', import.meta.url), 'utf8')) as Fx;

describe('Hogg, Bovy & Lang (2010) on Table 1', () => {
  it('the embedded table is astroML’s fetch_hogg2010test', () => {
    expect(all.x).toEqual(fx.table1.x);
    expect(all.y).toEqual(fx.table1.y);
    expect(all.sigmaY).toEqual(fx.table1.sigma_y);
    expect(all.sigmaX).toEqual(fx.table1.sigma_x);
    expect(all.rhoXY).toEqual(fx.table1.rho_xy);
  });

  it('Exercise 1: points 5–20 with y errors give b = 34 ± 18, m = 2.24 ± 0.11', () => {
    const fit = fitLeastSquares(polynomialBasis(last16.x, 1), last16.y, { yErr: last16.sigmaY });
    const [b, m] = fit.coef;
    const [sb, sm] = fit.stdErr;
    // The paper's rounded numbers …
    expect(Math.round(b!)).toBe(34);
    expect(Math.round(sb!)).toBe(18);
    expect(m!.toFixed(2)).toBe('2.24');
    expect(sm!.toFixed(2)).toBe('0.11');
    // … and NumPy's to machine precision.
    expect(b).toBeCloseTo(fx.wls_5_20.b, 9);
    expect(m).toBeCloseTo(fx.wls_5_20.m, 11);
    expect(sb).toBeCloseTo(fx.wls_5_20.sb, 9);
    expect(sm).toBeCloseTo(fx.wls_5_20.sm, 11);
    expect(fit.chi2).toBeCloseTo(fx.wls_5_20.chi2, 9);
    expect(fit.dof).toBe(14);
  });

  it('Exercise 6: the outlier mixture on all 20 points gives m ≈ 2.26, b ≈ 32, P_b ≈ 0.26', () => {
    const fit = fitLineMixture(all);
    expect(fit.slope.toFixed(2)).toBe('2.26');
    expect(Math.round(fit.intercept)).toBe(32);
    expect(fit.outlierFraction.toFixed(2)).toBe('0.26');
    // SciPy's independent maximisation of the same likelihood.
    expect(fit.slope).toBeCloseTo(fx.mixture_all.m, 5);
    expect(fit.intercept).toBeCloseTo(fx.mixture_all.b, 3);
    expect(fit.outlierFraction).toBeCloseTo(fx.mixture_all.Pb, 5);
    expect(fit.outlierMean).toBeCloseTo(fx.mixture_all.Yb, 2);
    expect(fit.outlierVariance / fx.mixture_all.Vb).toBeCloseTo(1, 4);
    expect(fit.logLikelihood).toBeCloseTo(fx.mixture_all.logL, 7);
    fit.outlierProbability.forEach((q, i) => expect(q).toBeCloseTo(fx.mixture_all.outlier_prob[i]!, 4));
    // Points 2–4 are unambiguous outliers; point 1 (σy = 61) is too uncertain to tell.
    for (const i of [1, 2, 3]) expect(fit.outlierProbability[i]).toBeGreaterThan(0.99);
    for (let i = 4; i < 20; i++) expect(fit.outlierProbability[i]).toBeLessThan(0.5);
    expect(fit.slopeErr).toBeGreaterThan(0.05);
    expect(fit.slopeErr).toBeLessThan(0.2);
  });

  it('eq. 32: the 2-D error-ellipse likelihood on points 5–20 matches SciPy', () => {
    const fit = fitLine2d(last16);
    expect(fit.slope).toBeCloseTo(fx.line2d_5_20.m, 6);
    expect(fit.intercept).toBeCloseTo(fx.line2d_5_20.b, 4);
    expect(fit.logLikelihood).toBeCloseTo(fx.line2d_5_20.logL, 8);
    expect(fit.scatter).toBe(0);
  });

  it('eq. 32 equals York’s (2004) correlated-error line: the same objective', () => {
    const a = fitLine2d(last16);
    const y = yorkFit(last16.x, last16.y, last16.sigmaX, last16.sigmaY, { rhoXY: last16.rhoXY });
    expect(y.slope).toBeCloseTo(a.slope, 6);
    expect(y.intercept).toBeCloseTo(a.intercept, 4);
    // York's analytic errors and the Laplace approximation agree to a few per cent.
    expect(y.slopeErr / a.slopeErr).toBeCloseTo(1, 1);
    expect(y.interceptErr / a.interceptErr).toBeCloseTo(1, 1);
    expect(y.chi2).toBeCloseTo(-2 * a.logLikelihood, 6);
  });

  it('with σx = 0 the 2-D likelihood reduces to weighted least squares', () => {
    const fit = fitLine2d({ x: last16.x, y: last16.y, sigmaY: last16.sigmaY });
    expect(fit.slope).toBeCloseTo(fx.wls_5_20.m, 6);
    expect(fit.intercept).toBeCloseTo(fx.wls_5_20.b, 4);
    expect(fit.slopeErr).toBeCloseTo(fx.wls_5_20.sm, 4);
    expect(fit.interceptErr).toBeCloseTo(fx.wls_5_20.sb, 2);
  });

  it('eq. 35: intrinsic orthogonal scatter on all 20 points matches SciPy', () => {
    const fit = fitLine2d(all, { intrinsicScatter: true });
    expect(fit.slope).toBeCloseTo(fx.line2d_scatter_all.m, 4);
    expect(fit.intercept / fx.line2d_scatter_all.b).toBeCloseTo(1, 4);
    expect(fit.scatter).toBeCloseTo(fx.line2d_scatter_all.scatter, 3);
    expect(fit.logLikelihood).toBeCloseTo(fx.line2d_scatter_all.logL, 7);
    expect(fit.scatterErr).toBeGreaterThan(0);
  });

  it('bad input gets typed errors', () => {
    expect(() => fitLine2d({ x: [1, 2, 3], y: [1, 2], sigmaY: 1 })).toThrow(ShapeError);
    expect(() => fitLine2d({ x: [1, 2, 3], y: [1, 2, NaN], sigmaY: 1 })).toThrow(/index 2/);
    expect(() => fitLine2d({ x: [1, 2, 3], y: [1, 2, 3], sigmaY: [1, 0, 1] })).toThrow(ValueError);
    expect(() => fitLine2d({ x: [1, 2, 3], y: [1, 2, 3], sigmaY: 1, rhoXY: 1 })).toThrow(/rhoXY/);
    expect(() => fitLineMixture({ x: [1, 2, 3], y: [1, 2, 3], sigmaY: 1 })).toThrow(/at least 5/);
  });
});
