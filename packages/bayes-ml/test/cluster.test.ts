import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { compareClose } from '@astro/core/testing';
import { fitExtremeDeconvolution, fitGaussianMixture, kMeans } from '../src/index.js';
import { Rng } from '../src/sampling/rng.js';

interface GmmRun {
  cov0: number[][] | number[][][];
  weights: number[];
  means: number[][];
  covariances: number[][][] | number[][];
  lower_bound: number;
  converged: boolean;
  bic: number;
  aic: number;
  proba_first5: number[][];
  score_samples_first5: number[];
}
interface Fx {
  kmeans: {
    X: number[][];
    sample_weight: number[];
    init: number[][];
    best_of_10_inertia: number;
    runs: Record<string, { centres: number[][]; labels: number[]; inertia: number; n_iter: number }>;
  };
  gmm: { weights0: number[]; means0: number[][]; runs: Record<'full' | 'diag', GmmRun> };
  xd: {
    X: number[][];
    Xcov: number[][];
    init: { weights: number[]; means: number[][]; covariances: number[][] };
    steps: number;
    logL0: number;
    weights: number[];
    means: number[][];
    covariances: number[][];
    logL: number;
  };
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/cluster.json', import.meta.url), 'utf8')) as Fx;

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol = atol): void {
  const r = compareClose(a, b, { atol, rtol });
  expect(r.ok, r.message).toBe(true);
}

describe('kMeans', () => {
  it('reproduces scikit-learn’s hand-computed weighted case', () => {
    const r = kMeans(
      [
        [0, 0],
        [0.5, 0],
        [0.5, 1],
        [1, 1],
      ],
      {
        k: 2,
        init: [
          [0, 0],
          [1, 1],
        ],
        sampleWeight: [3, 1, 1, 3],
      },
    );
    expect(Array.from(r.labels)).toEqual([0, 0, 1, 1]);
    expect(r.inertia).toBeCloseTo(0.375, 14);
    expect(Array.from(r.centres.data)).toEqual([0.125, 0, 0.875, 1]);
  });

  for (const name of ['unweighted', 'weighted'] as const) {
    it(`${name}: same centres, labels, inertia and iterations as sklearn from the same initial centres`, () => {
      const k = fx.kmeans;
      const run = k.runs[name]!;
      const r = kMeans(k.X, { k: 4, init: k.init, sampleWeight: name === 'weighted' ? k.sample_weight : undefined });
      expect(Array.from(r.labels)).toEqual(run.labels);
      expectClose(r.centres.data, run.centres.flat(), 1e-12);
      expect(r.inertia).toBeCloseTo(run.inertia, 8);
      expect(r.iterations).toBe(run.n_iter);
      expect(Array.from(r.predict(k.X))).toEqual(run.labels);
    });
  }

  it('k-means++ with 10 seeded inits reaches sklearn’s best-of-10 inertia; seeds reproduce', () => {
    const k = fx.kmeans;
    const r = kMeans(k.X, { k: 4, nInit: 10, seed: 42 });
    expect(r.inertia).toBeLessThanOrEqual(k.best_of_10_inertia * (1 + 1e-9));
    const again = kMeans(k.X, { k: 4, nInit: 10, seed: 42 });
    expect(Array.from(again.labels)).toEqual(Array.from(r.labels));
    const rnd = kMeans(k.X, { k: 4, init: 'random', seed: 3 });
    expect(rnd.inertia).toBeLessThan(k.best_of_10_inertia * 1.5);
  });

  it('typed errors', () => {
    expect(() => kMeans([[0], [1]], { k: 3 })).toThrow(ValueError);
    expect(() => kMeans([[0], [1]], { k: 1, init: [[0, 0]] })).toThrow(ShapeError);
    expect(() => kMeans([[0], [NaN]], { k: 1 })).toThrow(/row 1/);
    expect(() => kMeans([[0], [1]], { k: 1, sampleWeight: [1, -1] })).toThrow(/≥ 0/);
  });
});

describe('fitGaussianMixture vs sklearn GaussianMixture (same initial parameters)', () => {
  const X = fx.kmeans.X;
  for (const type of ['full', 'diag'] as const) {
    it(`${type} covariances: weights, means, covariances, lower bound, BIC/AIC, responsibilities`, () => {
      const g = fx.gmm.runs[type];
      const m = fitGaussianMixture(X, {
        k: 4,
        covarianceType: type,
        tol: 1e-10,
        maxIterations: 2000,
        init: { weights: fx.gmm.weights0, means: fx.gmm.means0, covariances: (g.cov0 as number[][][]).map((c) => c.flat()) },
      });
      expect(m.converged).toBe(true);
      expectClose(m.weights, g.weights, 1e-7);
      expectClose(m.means.data, g.means.flat(), 1e-7);
      expectClose(
        m.covariances.flatMap((c) => Array.from(c)),
        (g.covariances as number[][]).flat(2),
        1e-7,
      );
      expect(m.lowerBound).toBeCloseTo(g.lower_bound, 8);
      expect(m.bic(X)).toBeCloseTo(g.bic, 5);
      expect(m.aic(X)).toBeCloseTo(g.aic, 5);
      expectClose(m.predictProba(X.slice(0, 5)).data, g.proba_first5.flat(), 1e-6);
      expectClose(m.scoreSamples(X.slice(0, 5)), g.score_samples_first5, 1e-7);
    });
  }

  it('BIC picks the true number of components (4) on the 4-blob data', () => {
    const bic = [2, 3, 4, 5, 6].map((k) => fitGaussianMixture(X, { k, nInit: 2, seed: 1 }).bic(X));
    const best = bic.indexOf(Math.min(...bic));
    expect(best + 2).toBe(4);
  });

  it('sample() draws from the fitted mixture: moments of 20 000 draws match the model', () => {
    const m = fitGaussianMixture(X, { k: 4, seed: 2 });
    const { X: S, labels } = m.sample(20000, new Rng(9));
    expect(S.rows).toBe(20000);
    // Component frequencies within 4σ of the weights.
    for (let c = 0; c < 4; c++) {
      const f = labels.filter((l) => l === c).length / 20000;
      const w = m.weights[c]!;
      expect(Math.abs(f - w)).toBeLessThan(4 * Math.sqrt((w * (1 - w)) / 20000));
    }
    // Fresh samples are as probable under the model as the data it was fitted to (within 0.15 nats).
    expect(Math.abs(m.score(S) - m.score(X))).toBeLessThan(0.15);
  });

  it('typed errors: bad init, degenerate data', () => {
    expect(() =>
      fitGaussianMixture(X, {
        k: 2,
        init: {
          weights: [0.5, 0.6],
          means: [
            [0, 0, 0],
            [1, 1, 1],
          ],
          covariances: [
            [1, 0, 0, 0, 1, 0, 0, 0, 1],
            [1, 0, 0, 0, 1, 0, 0, 0, 1],
          ],
        },
      }),
    ).toThrow(/sum to 1/);
    expect(() =>
      fitGaussianMixture(X, {
        k: 2,
        init: {
          weights: [0.5, 0.5],
          means: [
            [0, 0],
            [1, 1],
          ],
          covariances: [[1], [1]],
        },
      }),
    ).toThrow(ShapeError);
    expect(() =>
      fitGaussianMixture(
        [
          [1, 1],
          [1, 1],
          [1, 1],
        ],
        { k: 1, regCovar: 0 },
      ),
    ).toThrow(/not positive definite/);
  });
});

describe('fitExtremeDeconvolution', () => {
  const xd = fx.xd;
  const covs = xd.Xcov;

  it('matches astroML XDGMM after the same 50 EM steps from the same start', () => {
    const m = fitExtremeDeconvolution(xd.X, covs, {
      k: 2,
      init: { weights: xd.init.weights, means: xd.init.means, covariances: xd.init.covariances },
      maxIterations: xd.steps,
      tol: -Infinity,
    });
    expect(m.iterations).toBe(xd.steps);
    expectClose(m.weights, xd.weights, 1e-9);
    expectClose(m.means.data, xd.means.flat(), 1e-9);
    expectClose(
      m.covariances.flatMap((c) => Array.from(c)),
      xd.covariances.flat(),
      1e-9,
    );
    expect(m.logLikelihood).toBeCloseTo(xd.logL, 7);
    const s = m.scoreSamples(xd.X, covs);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(xd.logL, 7);
  });

  it('recovers a known Gaussian from heteroscedastically noisy data (where a plain GMM over-estimates it)', () => {
    const rng = new Rng(21);
    const n = 1500;
    const V = [1.0, 0.5, 0.5, 0.6]; // true covariance
    const Lt = [1, 0, 0.5, Math.sqrt(0.6 - 0.25)];
    const X: number[][] = [];
    const C: number[][] = [];
    for (let i = 0; i < n; i++) {
      const z0 = rng.normal(),
        z1 = rng.normal();
      const t = [2 + Lt[0]! * z0, -1 + Lt[2]! * z0 + Lt[3]! * z1];
      const sx = 0.3 + 1.2 * rng.uniform(),
        sy = 0.3 + 1.2 * rng.uniform();
      X.push([t[0]! + sx * rng.normal(), t[1]! + sy * rng.normal()]);
      C.push([sx * sx, 0, 0, sy * sy]);
    }
    const m = fitExtremeDeconvolution(X, C, { k: 1, seed: 1, maxIterations: 500, tol: 1e-8 });
    expect(m.converged).toBe(true);
    // 4σ sampling bounds (not tuned to one stream): the observed scatter is Σ = V + E[S],
    // E[s²] = E[(0.3 + 1.2u)²] = 0.93; SE(mean_i) = √(Σ_ii/n), SE(V_ij) ≈ √((Σ_ii Σ_jj + Σ_ij²)/n).
    const Es2 = 0.09 + 0.36 + 0.48;
    const Sig = [V[0]! + Es2, V[1]!, V[2]!, V[3]! + Es2];
    expect(Math.abs(m.means.data[0]! - 2)).toBeLessThan(4 * Math.sqrt(Sig[0]! / n));
    expect(Math.abs(m.means.data[1]! + 1)).toBeLessThan(4 * Math.sqrt(Sig[3]! / n));
    m.covariances[0]!.forEach((v, idx) => {
      const i = idx >> 1,
        j = idx & 1;
      const se = Math.sqrt((Sig[3 * i]! * Sig[3 * j]! + Sig[idx]! ** 2) / n);
      expect(Math.abs(v - V[idx]!)).toBeLessThan(4 * se);
    });
    const g = fitGaussianMixture(X, { k: 1 });
    expect(g.covariances[0]![0]!).toBeGreaterThan(V[0]! + 0.5); // noise inflates the naive fit
  });

  it('typed errors: covariance count, asymmetric covariance', () => {
    expect(() =>
      fitExtremeDeconvolution(
        [
          [0, 0],
          [1, 1],
        ],
        [[1, 0, 0, 1]],
        { k: 1 },
      ),
    ).toThrow(ShapeError);
    expect(() =>
      fitExtremeDeconvolution(
        [
          [0, 0],
          [1, 1],
        ],
        [
          [1, 0.5, 0, 1],
          [1, 0, 0, 1],
        ],
        { k: 1 },
      ),
    ).toThrow(/not symmetric/);
  });
});
