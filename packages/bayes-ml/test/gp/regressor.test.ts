import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { numericGradient } from '@astro/core/linalg';
import { GaussianProcessRegressor, RBF, kernelFromSpec } from '../../src/index.js';
import { gpFixture, maxRelErr } from './fixture.js';

const fx = gpFixture.regression;

describe('GaussianProcessRegressor against scikit-learn', () => {
  it('log marginal likelihood and its gradient at θ₀ match to 1e-10; gradient matches finite differences', () => {
    const gp = new GaussianProcessRegressor({ kernel: kernelFromSpec(fx.kernel), alpha: fx.alpha, optimizer: 'none' }).fit(fx.X, fx.y);
    const { value, gradient } = gp.logMarginalLikelihood(fx.theta0);
    expect(Math.abs(value - fx.lml0) / Math.abs(fx.lml0)).toBeLessThan(1e-10);
    expect(maxRelErr(gradient, fx.grad0, 1e-10)).toBeLessThan(1e-8);
    const fd = numericGradient((t) => gp.logMarginalLikelihood(t).value, fx.theta0, 1e-5);
    expect(maxRelErr(gradient, fd, 1e-6)).toBeLessThan(1e-5);
  });

  it('L-BFGS-B reaches scikit-learn’s optimum; predictive mean, std and covariance match', () => {
    const gp = new GaussianProcessRegressor({ kernel: kernelFromSpec(fx.kernel), alpha: fx.alpha }).fit(fx.X, fx.y);
    expect(Math.abs(gp.logMarginalLikelihoodValue - fx.lmlOpt)).toBeLessThan(1e-6 * Math.abs(fx.lmlOpt));
    expect(maxRelErr(gp.kernel_.theta, fx.thetaOpt, 1e-3)).toBeLessThan(2e-3);
    const p = gp.predict(fx.Xs, { returnStd: true, returnCov: true });
    expect(maxRelErr(p.mean, fx.mean, 1e-4)).toBeLessThan(1e-3);
    expect(maxRelErr(p.std!, fx.std, 1e-4)).toBeLessThan(1e-3);
    expect(maxRelErr(p.cov!, fx.cov, 1e-4)).toBeLessThan(2e-3);
    // At identical θ the predictions agree to rounding.
    const same = new GaussianProcessRegressor({
      kernel: kernelFromSpec(fx.kernel).withTheta(fx.thetaOpt),
      alpha: fx.alpha,
      optimizer: 'none',
    }).fit(fx.X, fx.y);
    const q = same.predict(fx.Xs, { returnStd: true, returnCov: true });
    expect(maxRelErr(q.mean, fx.mean, 1e-12)).toBeLessThan(1e-8);
    expect(maxRelErr(q.std!, fx.std, 1e-12)).toBeLessThan(1e-8);
    expect(maxRelErr(q.cov!, fx.cov, 1e-12)).toBeLessThan(1e-7);
  });

  it('normalizeY matches scikit-learn', () => {
    const { yScale, yShift } = fx.normalizeY;
    const gp = new GaussianProcessRegressor({
      kernel: kernelFromSpec(fx.kernel),
      alpha: fx.alpha,
      optimizer: 'none',
      normalizeY: true,
    }).fit(
      fx.X,
      fx.y.map((v) => yScale * v + yShift),
    );
    const p = gp.predict(fx.Xs, { returnStd: true });
    expect(maxRelErr(p.mean, fx.normalizeY.mean, 1e-12)).toBeLessThan(1e-9);
    expect(maxRelErr(p.std!, fx.normalizeY.std, 1e-12)).toBeLessThan(1e-9);
  });

  it('restarts never end worse than the single start; posterior samples have the predictive moments', () => {
    const one = new GaussianProcessRegressor({ kernel: kernelFromSpec(fx.kernel), alpha: fx.alpha }).fit(fx.X, fx.y);
    const many = new GaussianProcessRegressor({ kernel: kernelFromSpec(fx.kernel), alpha: fx.alpha, nRestarts: 3, seed: 1 }).fit(
      fx.X,
      fx.y,
    );
    expect(many.logMarginalLikelihoodValue).toBeGreaterThanOrEqual(one.logMarginalLikelihoodValue - 1e-8);
    const xs = [2.5, 7.5];
    const p = one.predict(xs, { returnStd: true });
    const draws = one.sampleY(xs, 4000, 3);
    for (let j = 0; j < 2; j++) {
      let m = 0;
      let v = 0;
      for (let s = 0; s < 4000; s++) m += draws[s * 2 + j]!;
      m /= 4000;
      for (let s = 0; s < 4000; s++) v += (draws[s * 2 + j]! - m) ** 2;
      v /= 4000;
      expect(Math.abs(m - p.mean[j]!) / p.std![j]!).toBeLessThan(0.08);
      expect(Math.abs(Math.sqrt(v) / p.std![j]! - 1)).toBeLessThan(0.05);
    }
  });

  it('gives typed errors for bad input and warns (jitter) on duplicated inputs without noise', () => {
    const gp = new GaussianProcessRegressor({ kernel: new RBF(), optimizer: 'none' });
    expect(() => gp.predict([1])).toThrow(/fit\(\) first/);
    expect(() => gp.fit([1, 2, 3], [1, 2])).toThrow(ShapeError);
    expect(() => gp.fit([1, 2, NaN], [1, 2, 3])).toThrow(ValueError);
    expect(() => new GaussianProcessRegressor({ kernel: new RBF(), alpha: -1 }).fit([1, 2], [1, 2])).toThrow(ValueError);
    const warnings: string[] = [];
    const orig = console.warn;
    console.warn = (m: string) => warnings.push(m);
    try {
      new GaussianProcessRegressor({ kernel: new RBF(), alpha: 0, optimizer: 'none' }).fit([1, 1, 2], [0.5, 0.5, 1]);
    } finally {
      console.warn = orig;
    }
    expect(warnings.join(' ')).toMatch(/jitter/);
  });
});
