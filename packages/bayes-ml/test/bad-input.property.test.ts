// Property-style check of the boundary: random wrong shapes, NaN/±Inf, empty inputs and invalid sizes
// fed to the main entry points must raise a typed error (AstroError: ShapeError, ValueError…) — never
// a silent NaN result, an untyped TypeError/RangeError, or a hang (each run is bounded by the test's
// timeout).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AstroError } from '@astro/core';
import {
  CeleriteGP,
  EnsembleSampler,
  GaussianProcessRegressor,
  RBF,
  SHOTerm,
  adaptiveMetropolis,
  effectiveSampleSize,
  fitExtremeDeconvolution,
  fitGaussianMixture,
  fitLeastSquares,
  fitLogisticRegression,
  fitPca,
  gibbsSample,
  integratedTime,
  kMeans,
  nuts,
  splitRhat,
} from '../src/index.js';

const RUNS = { numRuns: 25, seed: 20261204 };

/** A valid n×d matrix with finite entries. */
const matrix = fc
  .record({ n: fc.integer({ min: 6, max: 25 }), d: fc.integer({ min: 1, max: 4 }), seed: fc.integer({ min: 1, max: 1e6 }) })
  .map(({ n, d, seed }) => ({ n, d, data: Float64Array.from({ length: n * d }, (_, i) => Math.sin(seed + 1.7 * i) * 3) }));

/** How a valid matrix is broken. */
type Break = { kind: 'nonfinite'; at: number; value: number } | { kind: 'rows'; delta: number } | { kind: 'empty' };
const breakage: fc.Arbitrary<Break> = fc.oneof(
  fc.record({ kind: fc.constant('nonfinite' as const), at: fc.nat(), value: fc.constantFrom(NaN, Infinity, -Infinity) }),
  fc.record({ kind: fc.constant('rows' as const), delta: fc.integer({ min: -3, max: 3 }).filter((v) => v !== 0) }),
  fc.record({ kind: fc.constant('empty' as const) }),
);

function broken(m: { n: number; d: number; data: Float64Array }, b: Break): { data: Float64Array; rows: number; cols: number } {
  if (b.kind === 'empty') return { data: new Float64Array(0), rows: 0, cols: m.d };
  if (b.kind === 'rows') return { data: m.data, rows: m.n + b.delta, cols: m.d }; // claims a different size
  const data = m.data.slice();
  data[b.at % data.length] = b.value;
  return { data, rows: m.n, cols: m.d };
}

/** Runs `f`; passes only when it throws an AstroError. */
function typed(f: () => unknown): void {
  let threw: unknown;
  let result: unknown;
  try {
    result = f();
  } catch (e) {
    threw = e;
  }
  if (threw === undefined) throw new Error(`no error; returned ${String(result).slice(0, 80)}`);
  if (!(threw instanceof AstroError)) throw new Error(`untyped ${(threw as Error).constructor?.name}: ${(threw as Error).message}`);
}

async function typedAsync(f: () => Promise<unknown>): Promise<void> {
  let threw: unknown;
  try {
    await f();
  } catch (e) {
    threw = e;
  }
  if (threw === undefined) throw new Error('no error');
  if (!(threw instanceof AstroError)) throw new Error(`untyped ${(threw as Error).constructor?.name}: ${(threw as Error).message}`);
}

const badCount = fc.oneof(fc.integer({ min: -5, max: 0 }), fc.constantFrom(0.5, 1.5, NaN, Infinity));

describe('bad input at the boundary gets a typed error (fast-check)', () => {
  it('regression: broken design matrix, wrong-length / non-finite y or yErr', () => {
    fc.assert(
      fc.property(matrix, breakage, fc.integer({ min: -2, max: 2 }), fc.constantFrom(NaN, -1, Infinity), (m, b, dy, bad) => {
        const y = Float64Array.from({ length: m.n }, (_, i) => i % 3);
        typed(() => fitLeastSquares(broken(m, b), y));
        if (dy !== 0) typed(() => fitLeastSquares({ data: m.data, rows: m.n, cols: m.d }, new Float64Array(m.n + dy)));
        const yErr = new Float64Array(m.n).fill(1);
        yErr[m.n - 1] = bad;
        typed(() => fitLeastSquares({ data: m.data, rows: m.n, cols: m.d }, y, { yErr }));
      }),
      RUNS,
    );
  });

  it('logistic regression: broken X, wrong-length or non-finite labels, C ≤ 0', () => {
    fc.assert(
      fc.property(matrix, breakage, fc.constantFrom(0, -1, NaN), (m, b, C) => {
        const y = Float64Array.from({ length: m.n }, (_, i) => i % 2);
        typed(() => fitLogisticRegression(broken(m, b), y));
        typed(() => fitLogisticRegression({ data: m.data, rows: m.n, cols: m.d }, y.subarray(1)));
        typed(() => fitLogisticRegression({ data: m.data, rows: m.n, cols: m.d }, y, { C }));
        const yn = y.slice();
        yn[0] = NaN;
        typed(() => fitLogisticRegression({ data: m.data, rows: m.n, cols: m.d }, yn));
      }),
      RUNS,
    );
  });

  it('PCA, k-means, GMM: broken X and invalid component counts', () => {
    fc.assert(
      fc.property(matrix, breakage, badCount, (m, b, k) => {
        const X = broken(m, b);
        const ok = { data: m.data, rows: m.n, cols: m.d };
        typed(() => fitPca(X, { nComponents: 1 }));
        typed(() => fitPca(ok, { nComponents: k }));
        typed(() => kMeans(X, { k: 2, seed: 1 }));
        typed(() => kMeans(ok, { k, seed: 1 }));
        typed(() => kMeans(ok, { k: m.n + 1, seed: 1 }));
        typed(() => kMeans(ok, { k: 2, nInit: k, seed: 1 }));
        typed(() => fitGaussianMixture(X, { k: 1, seed: 1 }));
        typed(() => fitGaussianMixture(ok, { k, seed: 1 }));
        typed(() => fitGaussianMixture(ok, { k: 1, maxIterations: k, seed: 1 }));
      }),
      RUNS,
    );
  });

  it('extreme deconvolution: broken X, too few or non-finite / negative-variance covariances', () => {
    fc.assert(
      fc.property(matrix, breakage, fc.constantFrom(NaN, -1, Infinity), (m, b, bad) => {
        const eye = Float64Array.from({ length: m.d * m.d }, (_, i) => (i % (m.d + 1) === 0 ? 0.1 : 0));
        const covs = Array.from({ length: m.n }, () => eye);
        const ok = { data: m.data, rows: m.n, cols: m.d };
        typed(() => fitExtremeDeconvolution(broken(m, b), covs, { k: 1 }));
        typed(() => fitExtremeDeconvolution(ok, covs.slice(1), { k: 1 }));
        const badCov = eye.slice();
        badCov[0] = bad;
        typed(() => fitExtremeDeconvolution(ok, [badCov, ...covs.slice(1)], { k: 1 }));
      }),
      { ...RUNS, numRuns: 10 },
    );
  });

  it('GPs: non-finite or mismatched X / y, broken predictions, celerite time series', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 30 }),
        fc.nat(),
        fc.constantFrom(NaN, Infinity),
        fc.integer({ min: -2, max: 2 }),
        (n, at, bad, dy) => {
          const x = Float64Array.from({ length: n }, (_, i) => i * 0.3);
          const y = Float64Array.from(x, Math.sin);
          const xb = x.slice();
          xb[at % n] = bad;
          const gp = (): GaussianProcessRegressor => new GaussianProcessRegressor({ kernel: new RBF(), optimizer: 'none' });
          typed(() => gp().fit(xb, y));
          typed(() => gp().fit(x, xb));
          if (dy !== 0) typed(() => gp().fit(x, new Float64Array(n + dy)));
          typed(() => gp().fit([], []));
          typed(() => gp().fit(x, y).predict(xb));
          const cel = (): CeleriteGP => new CeleriteGP(new SHOTerm({ S0: 1, w0: 2, Q: 1 }));
          typed(() => cel().compute(xb, { yerr: 0.1 }));
          typed(() => cel().compute(x, { yerr: -0.1 }));
          typed(() => cel().compute(x, { yerr: 0.1 }).logLikelihood(xb));
          if (dy !== 0)
            typed(() =>
              cel()
                .compute(x, { yerr: 0.1 })
                .logLikelihood(new Float64Array(n + dy)),
            );
        },
      ),
      RUNS,
    );
  });

  it('MCMC: non-finite starts, wrong-size ensembles, invalid step counts, broken chains for diagnostics', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), badCount, fc.constantFrom(NaN, Infinity), async (d, count, bad) => {
        const logProb = (x: Float64Array): number => -0.5 * x.reduce((a, v) => a + v * v, 0);
        const x0 = new Float64Array(d);
        const xb = x0.slice();
        xb[d - 1] = bad;
        typed(() => adaptiveMetropolis({ logProb, x0: xb, nSamples: 10, seed: 1 }));
        typed(() => adaptiveMetropolis({ logProb, x0, nSamples: count, seed: 1 }));
        typed(() => gibbsSample({ init: x0, updates: [(s) => void s.fill(0)], nSamples: count, seed: 1 }));
        const nW = 2 * d + 2;
        const p0 = Float64Array.from({ length: nW * d }, (_, i) => 0.1 * Math.sin(i + 1));
        await typedAsync(() => new EnsembleSampler({ nWalkers: nW, nDim: d, logProb, seed: 1 }).run(p0.subarray(1), 5));
        const pb = p0.slice();
        pb[0] = bad;
        await typedAsync(() => new EnsembleSampler({ nWalkers: nW, nDim: d, logProb, seed: 1 }).run(pb, 5));
        // run(p0, 0) is a documented no-op (it only evaluates the start), so 0 is not a bad count there.
        if (count !== 0) await typedAsync(() => new EnsembleSampler({ nWalkers: nW, nDim: d, logProb, seed: 1 }).run(p0, count));
        typed(() => new EnsembleSampler({ nWalkers: d, nDim: d, logProb, seed: 1 }));
        const logProbGrad = (x: Float64Array, g: Float64Array): number => {
          for (let i = 0; i < x.length; i++) g[i] = -x[i]!;
          return logProb(x);
        };
        await typedAsync(() => nuts({ logProbGrad, x0: xb, nSamples: 5, seed: 1 }));
        await typedAsync(() => nuts({ logProbGrad, x0, nSamples: count, seed: 1 }));
        const steps = 60;
        const data = Float64Array.from({ length: steps * 2 * d }, (_, i) => Math.sin(0.37 * i));
        const chain = { data, nSteps: steps, nWalkers: 2, nDim: d };
        const nanChain = { ...chain, data: Float64Array.from(data, (v, i) => (i === 7 ? bad : v)) };
        typed(() => integratedTime(nanChain, { tol: 0 }));
        typed(() => effectiveSampleSize(nanChain));
        typed(() => splitRhat(nanChain));
        typed(() => integratedTime({ ...chain, nSteps: steps + 1 }, { tol: 0 }));
        typed(() => splitRhat({ ...chain, nWalkers: count }));
      }),
      { ...RUNS, numRuns: 15 },
    );
  });
});
