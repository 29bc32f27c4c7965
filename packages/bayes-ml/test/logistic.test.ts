import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { compareClose } from '@astro/core/testing';
import { fitBayesianLogistic, fitLogisticRegression } from '../src/index.js';

interface Case {
  C: number;
  coef: number[] | number[][];
  intercept: number | number[];
  proba: number[][];
}
interface Fx {
  binary: { X: number[][]; y: number[]; sample_weight: number[]; cases: Record<string, Case> };
  multinomial: { X: number[][]; y: number[]; cases: Record<string, Case> };
  sdss: { n: number; threshold: number; coef: number[]; intercept: number; accuracy: number };
  laplace: {
    n: number;
    alpha: number;
    coef: number[];
    intercept: number;
    cov: number[];
    x_star: number[][];
    act_mean: number[];
    act_var: number[];
    probit: number[];
    exact: number[];
  };
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/logistic.json', import.meta.url), 'utf8')) as Fx;

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  const r = compareClose(a, b, { atol: tol, rtol: tol });
  expect(r.ok, r.message).toBe(true);
}

describe('fitLogisticRegression: binary (Newton/IRLS) vs scikit-learn', () => {
  const { X, y, sample_weight, cases } = fx.binary;
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: coefficients within 1e-4, probabilities within 1e-6`, () => {
      const m = fitLogisticRegression(X, y, {
        C: c.C,
        sampleWeight: name.endsWith('weighted') ? sample_weight : undefined,
      });
      expect(m.converged).toBe(true);
      expect(m.classes).toEqual([0, 1]);
      expectClose(m.coef[0]!, c.coef as number[], 1e-4);
      expect(m.intercept[0]).toBeCloseTo(c.intercept as number, 5);
      expectClose(
        m.predictProba(X.slice(0, 5)).flatMap((r) => Array.from(r)),
        c.proba.flat(),
        1e-6,
      );
    });
  }

  it('predict thresholds the log-odds at 0 and returns the original labels', () => {
    const labels = y.map((v) => (v ? 7 : -3));
    const m = fitLogisticRegression(X, labels, { C: 1 });
    expect(m.classes).toEqual([-3, 7]);
    const pred = m.predict(X);
    const dec = m.decisionFunction(X);
    pred.forEach((p, i) => expect(p).toBe(dec[i]! > 0 ? 7 : -3));
  });
});

describe('fitLogisticRegression: multinomial (softmax, L-BFGS) vs scikit-learn', () => {
  const { X, y, cases } = fx.multinomial;
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: coefficients within 1e-4`, () => {
      const m = fitLogisticRegression(X, y, { C: c.C });
      expect(m.converged).toBe(true);
      expectClose(
        m.coef.flatMap((r) => Array.from(r)),
        (c.coef as number[][]).flat(),
        1e-4,
      );
      expectClose(m.intercept, c.intercept as number[], 1e-4);
      expectClose(
        m.predictProba(X.slice(0, 5)).flatMap((r) => Array.from(r)),
        c.proba.flat(),
        1e-6,
      );
    });
  }
});

describe('real data: SDSS colours → z_spec > 0.1', () => {
  it('matches scikit-learn on 2000 galaxies of the shared ANNz training set', () => {
    const rows = readFileSync(dataPath('photoz', 'sdss-ugriz', 'train.txt'), 'utf8')
      .trim()
      .split('\n')
      .slice(0, fx.sdss.n)
      .map((l) => l.trim().split(/\s+/).map(Number));
    const X = rows.map((r) => [r[0]! - r[1]!, r[1]! - r[2]!, r[2]! - r[3]!, r[3]! - r[4]!]);
    const y = rows.map((r) => (r[10]! > fx.sdss.threshold ? 1 : 0));
    const m = fitLogisticRegression(X, y, { C: 1e4 });
    expectClose(m.coef[0]!, fx.sdss.coef, 1e-4);
    expect(m.intercept[0]).toBeCloseTo(fx.sdss.intercept, 4);
    const acc = m.predict(X).filter((p, i) => p === y[i]).length / y.length;
    expect(acc).toBeCloseTo(fx.sdss.accuracy, 6);
  });
});

describe('fitBayesianLogistic: Laplace approximation', () => {
  const L = fx.laplace;
  const X = fx.binary.X.slice(0, L.n);
  const y = fx.binary.y.slice(0, L.n);
  const m = fitBayesianLogistic(X, y, { priorPrecision: L.alpha });

  it('MAP equals scikit-learn with C = 1/α; covariance is the inverse Hessian', () => {
    expectClose(m.coef, L.coef, 1e-6);
    expect(m.intercept).toBeCloseTo(L.intercept, 6);
    expectClose(m.cov, L.cov, 1e-6);
  });

  it('probit predictive matches its closed form and the exact Gaussian integral within 0.005', () => {
    const act = m.activation(L.x_star);
    expectClose(act.mean, L.act_mean, 1e-6);
    expectClose(act.variance, L.act_var, 1e-6);
    const p = m.predictProba(L.x_star);
    expectClose(p, L.probit, 1e-6);
    p.forEach((v, i) => expect(Math.abs(v - L.exact[i]!)).toBeLessThan(0.005));
    // Marginalising pulls probabilities towards ½ compared with the MAP plug-in.
    const pMap = m.predictProba(L.x_star, 'map');
    p.forEach((v, i) => expect(Math.abs(v - 0.5)).toBeLessThanOrEqual(Math.abs(pMap[i]! - 0.5)));
  });

  it('the Laplace evidence prefers a sensible prior precision', () => {
    const ev = [1e-3, 0.3, 1e3].map((a) => fitBayesianLogistic(X, y, { priorPrecision: a }).logEvidence);
    expect(ev[1]).toBeGreaterThan(ev[0]!);
    expect(ev[1]).toBeGreaterThan(ev[2]!);
  });
});

describe('typed errors', () => {
  it('rejects one class, bad C, NaN, mismatched shapes, perfectly separable data without a penalty', () => {
    expect(() => fitLogisticRegression([[1], [2]], [1, 1])).toThrow(/two classes/);
    expect(() => fitLogisticRegression([[1], [2]], [0, 1], { C: 0 })).toThrow(ValueError);
    expect(() => fitLogisticRegression([[1], [NaN]], [0, 1])).toThrow(/row 1, column 0/);
    expect(() => fitLogisticRegression([[1], [2]], [0, 1, 1])).toThrow(ShapeError);
    expect(() => fitLogisticRegression([[0], [1], [2], [3]], [0, 0, 1, 1], { C: Infinity })).toThrow(/separable/);
    const m = fitLogisticRegression(
      [
        [0, 1],
        [1, 0],
        [2, 2],
        [3, 1],
      ],
      [0, 1, 0, 1],
    );
    expect(() => m.predict([[1, 2, 3]])).toThrow(/features/);
    expect(() => fitBayesianLogistic([[1], [2], [3]], [0, 1, 2])).toThrow(/exactly two/);
  });
});
