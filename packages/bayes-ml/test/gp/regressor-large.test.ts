import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { simdF64Available, useSimdF64 } from '@astro/core/linalg';
import { ConstantKernel, GaussianProcessRegressor, RBF, WhiteKernel } from '../../src/index.js';
import { maxRelErr } from './fixture.js';

/** tools/fixtures/bayes_ml_gp_large.py → gp_large.json (n = 300: core's blocked SIMD path). */
const fx = JSON.parse(readFileSync(new URL('../fixtures/mcmc_gp/gp_large.json', import.meta.url), 'utf8')) as {
  kernel: { constant: number; lengthScale: number; noiseLevel: number };
  X: number[];
  y: number[];
  Xs: number[];
  theta: number[];
  lml: number;
  grad: number[];
  mean: number[];
  std: number[];
};

function gp(): GaussianProcessRegressor {
  const kernel = new ConstantKernel({ value: fx.kernel.constant, bounds: [1e-3, 1e3] })
    .times(new RBF({ lengthScale: fx.kernel.lengthScale, bounds: [1e-2, 1e2] }))
    .plus(new WhiteKernel({ noiseLevel: fx.kernel.noiseLevel, bounds: [1e-5, 10] }));
  return new GaussianProcessRegressor({ kernel, alpha: 1e-10, optimizer: 'none' }).fit(fx.X, fx.y);
}

describe('GaussianProcessRegressor at n = 300 (blocked WebAssembly-SIMD Cholesky and K⁻¹) against scikit-learn', () => {
  afterEach(() => useSimdF64(true));

  it('takes the SIMD path on this engine', () => {
    expect(simdF64Available()).toBe(true);
  });

  it('log marginal likelihood to 1e-11, its gradient to 1e-8, predictive mean and std to 1e-8', () => {
    const g = gp();
    const { value, gradient } = g.logMarginalLikelihood(fx.theta);
    expect(Math.abs(value - fx.lml) / Math.abs(fx.lml)).toBeLessThan(1e-11);
    expect(maxRelErr(gradient, fx.grad, 1e-10)).toBeLessThan(1e-8);
    const p = g.predict(fx.Xs, { returnStd: true });
    expect(maxRelErr(p.mean, fx.mean, 1e-12)).toBeLessThan(1e-8);
    expect(maxRelErr(p.std!, fx.std, 1e-12)).toBeLessThan(1e-8);
  });

  it('the plain-JavaScript path gives the same numbers', () => {
    const a = gp().logMarginalLikelihood(fx.theta);
    useSimdF64(false);
    const b = gp().logMarginalLikelihood(fx.theta);
    expect(Math.abs(a.value - b.value)).toBeLessThan(1e-9);
    expect(maxRelErr(a.gradient, b.gradient, 1e-10)).toBeLessThan(1e-9);
  });
});
