import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { numericGradient } from '@astro/core/linalg';
import { GaussianProcessClassifier, RBF, kernelFromSpec } from '../../src/index.js';
import { gpFixture, maxRelErr } from './fixture.js';

const fx = gpFixture.classification;

describe('GaussianProcessClassifier (Laplace) against scikit-learn', () => {
  it('posterior mode, log marginal likelihood, its gradient and predictive probabilities at fixed θ', () => {
    const gpc = new GaussianProcessClassifier({ kernel: kernelFromSpec(fx.kernel), optimizer: 'none' }).fit(fx.X, fx.y);
    expect(Math.abs(gpc.logMarginalLikelihoodValue - fx.lml)).toBeLessThan(1e-9 * Math.abs(fx.lml));
    expect(maxRelErr(gpc.latentMode, fx.fHat, 1e-9)).toBeLessThan(1e-7);
    const { gradient } = gpc.logMarginalLikelihood();
    expect(maxRelErr(gradient, fx.grad, 1e-9)).toBeLessThan(1e-6);
    const theta = kernelFromSpec(fx.kernel).theta;
    const fd = numericGradient((t) => gpc.logMarginalLikelihood(t).value, theta, 1e-5);
    expect(maxRelErr(gradient, fd, 1e-6)).toBeLessThan(1e-4);
    expect(maxRelErr(gpc.predictProba(fx.Xs), fx.proba, 1e-9)).toBeLessThan(1e-7);
    const cls = gpc.predict(fx.Xs);
    gpc.predictProba(fx.Xs).forEach((p, i) => expect(cls[i]).toBe(p > 0.5 ? 1 : 0));
  });

  it('L-BFGS-B hyper-parameters reach scikit-learn’s optimum', () => {
    const kernel = kernelFromSpec({
      type: 'product',
      k1: { type: 'constant', value: 1, bounds: [1e-3, 1e3] },
      k2: { type: 'rbf', lengthScale: 1, bounds: [1e-2, 1e2] },
    });
    const gpc = new GaussianProcessClassifier({ kernel }).fit(fx.X, fx.y);
    expect(Math.abs(gpc.logMarginalLikelihoodValue - fx.optimised.lml)).toBeLessThan(1e-5 * Math.abs(fx.optimised.lml));
    expect(maxRelErr(gpc.kernel_.theta, fx.optimised.theta, 1e-2)).toBeLessThan(1e-2);
  });

  it('rejects bad labels and shapes', () => {
    const g = new GaussianProcessClassifier({ kernel: new RBF() });
    expect(() => g.fit([1, 2, 3], [0, 1, 2])).toThrow(ValueError);
    expect(() => g.fit([1, 2, 3], [1, 1, 1])).toThrow(/both classes/);
    expect(() => g.fit([1, 2, 3], [0, 1])).toThrow(ShapeError);
    expect(() => g.predictProba([1])).toThrow(/fit\(\) first/);
  });
});
