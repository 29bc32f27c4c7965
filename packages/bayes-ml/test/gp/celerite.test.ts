import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { NotPositiveDefiniteError, choLogDet, choSolve, cholesky } from '@astro/core/linalg';
import { CeleriteGP, ComplexTerm, Matern32Term, RealTerm, Rng, SHOTerm, type CeleriteTerm } from '../../src/index.js';

/** Dense reference: log N(y | μ, K) by Cholesky of the closed-form kernel matrix. */
function denseLogLik(gp: CeleriteGP, y: Float64Array): number {
  const K = gp.denseCovariance();
  const n = y.length;
  const f = cholesky(K, n, { jitter: false });
  const r = y.map((v) => v - gp.mean);
  const a = choSolve(f, r);
  let q = 0;
  for (let i = 0; i < n; i++) q += r[i]! * a[i]!;
  return -0.5 * (q + choLogDet(f) + n * Math.log(2 * Math.PI));
}

function data(n: number, seed: number): { t: Float64Array; y: Float64Array; yerr: Float64Array } {
  const rng = new Rng(seed);
  const t = Float64Array.from({ length: n }, () => 50 * rng.uniform()).sort();
  const yerr = Float64Array.from({ length: n }, () => 0.05 + 0.1 * rng.uniform());
  const y = Float64Array.from(t, (v) => Math.sin(v) + 0.3 * Math.cos(3.1 * v) + 0.1 * rng.normal());
  return { t, y, yerr };
}

const kernels: Array<[string, CeleriteTerm]> = [
  ['real', new RealTerm({ a: 1.3, c: 0.7 })],
  ['complex', new ComplexTerm(1.0, 0.2, 0.5, 2.0)],
  ['SHO underdamped (Q = 3)', new SHOTerm({ S0: 0.8, w0: 2.5, Q: 3 })],
  ['SHO granulation (Q = 1/√2)', new SHOTerm({ S0: 1.1, w0: 1.7, Q: 1 / Math.SQRT2 })],
  ['SHO critically damped (Q = ½)', new SHOTerm({ S0: 1.0, w0: 1.3, Q: 0.5 })],
  ['SHO overdamped (Q = 0.3)', new SHOTerm({ S0: 1.2, w0: 3, Q: 0.3 })],
  ['Matérn-3/2', new Matern32Term({ sigma: 0.9, rho: 1.7 })],
  [
    'sum of SHO + Matérn-3/2 + real',
    new SHOTerm({ S0: 0.5, w0: 4, Q: 5 }).plus(new Matern32Term({ sigma: 0.6, rho: 3 })).plus(new RealTerm({ a: 0.2, c: 0.1 })),
  ],
];

describe('celerite-style O(N) GP agrees with the dense GP', () => {
  const { t, y, yerr } = data(300, 1);
  for (const [name, k] of kernels) {
    it(`${name}: log-likelihood to 1e-8, K⁻¹y, predictive mean and variance`, () => {
      const gp = new CeleriteGP(k, { mean: 0.1 }).compute(t, { yerr, jitter: 1e-3 });
      const ll = gp.logLikelihood(y);
      expect(Math.abs(ll - denseLogLik(gp, y))).toBeLessThan(1e-8);
      const K = gp.denseCovariance();
      const f = cholesky(K, t.length, { jitter: false });
      const r = y.map((v) => v - 0.1);
      const ref = choSolve(f, r);
      const x = gp.solve(y);
      for (let i = 0; i < t.length; i += 17) expect(Math.abs(x[i]! - ref[i]!)).toBeLessThan(1e-8 * (1 + Math.abs(ref[i]!)));
      // Predictions at test times before, inside (including a training time) and after the data.
      const ts = [-3, 0.5, t[10]!, 12.34, 25, 49.9, 55];
      const p = gp.predict(y, ts, { returnVar: true });
      ts.forEach((s, j) => {
        let m = 0.1;
        const ks = Float64Array.from(t, (ti) => k.value(ti - s));
        for (let i = 0; i < t.length; i++) m += ks[i]! * ref[i]!;
        const w = choSolve(f, ks);
        let q = 0;
        for (let i = 0; i < t.length; i++) q += ks[i]! * w[i]!;
        expect(Math.abs(p.mean[j]! - m)).toBeLessThan(1e-8);
        expect(Math.abs(p.variance![j]! - (k.value(0) - q))).toBeLessThan(1e-8);
      });
    });
  }

  it('on a real Kepler light curve (KIC 1435467, 1000 one-minute points): log-likelihood to 1e-12 relative', () => {
    const rows = readFileSync(dataPath('lightcurves', 'kepler-pysyd', '1435467_LC.txt'), 'utf8')
      .trim()
      .split('\n')
      .slice(0, 1000);
    const tt = Float64Array.from(rows, (r) => Number(r.trim().split(/\s+/)[0]));
    const ff = Float64Array.from(rows, (r) => (Number(r.trim().split(/\s+/)[1]) - 1) * 1e6); // ppm
    const gp = new CeleriteGP(new SHOTerm({ S0: 2000, w0: 2 * Math.PI * 50, Q: 1 / Math.SQRT2 }).plus(new RealTerm({ a: 400, c: 3 })), {
      mean: 0,
    });
    gp.compute(tt, { yerr: 100 });
    const ll = gp.logLikelihood(ff);
    expect(Number.isFinite(ll)).toBe(true);
    expect(Math.abs(ll - denseLogLik(gp, ff))).toBeLessThan(1e-8 * Math.max(1, Math.abs(ll) / 1e4));
  });
});

describe('celerite input checks', () => {
  it('rejects unsorted times, bad lengths, NaN, non-positive-definite kernels and use before compute', () => {
    const k = new SHOTerm({ S0: 1, w0: 1, Q: 1 });
    expect(() => new CeleriteGP(k).compute([0, 2, 1])).toThrow(/sorted/);
    expect(() => new CeleriteGP(k).compute([0, 1, NaN])).toThrow(ValueError);
    expect(() => new CeleriteGP(k).compute([0, 1], { yerr: [1] })).toThrow(ShapeError);
    expect(() => new CeleriteGP(k).compute([0, 1]).logLikelihood([1])).toThrow(ShapeError);
    expect(() => new CeleriteGP(k).logLikelihood([1])).toThrow(/compute/);
    expect(() => new ComplexTerm(1, 5, 0.1, 2)).toThrow(/not positive definite/);
    // A negative real term is not a valid covariance on its own.
    expect(() => new CeleriteGP(new RealTerm({ a: -1, c: 1 })).compute([0, 1, 2])).toThrow(NotPositiveDefiniteError);
    expect(() => new SHOTerm({ S0: -1, w0: 1, Q: 1 })).toThrow(ValueError);
  });
});
