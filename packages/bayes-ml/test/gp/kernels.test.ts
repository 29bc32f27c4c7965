import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { ConstantKernel, Matern, RBF, WhiteKernel, kernelFromSpec, type Points } from '../../src/index.js';
import { gpFixture, maxRelErr } from './fixture.js';

const { X, X2, cases } = gpFixture.kernels;
const P: Points = { data: Float64Array.from(X), n: X.length / 2, d: 2 };
const P2: Points = { data: Float64Array.from(X2), n: X2.length / 2, d: 2 };

describe('GP kernels against scikit-learn', () => {
  for (const c of cases) {
    it(`${JSON.stringify(c.spec)}: K, K(X, X2), diag, θ and ∂K/∂θ to 1e-12`, () => {
      const k = kernelFromSpec(c.spec);
      expect(maxRelErr(k.theta, c.theta)).toBeLessThan(1e-12);
      expect(maxRelErr(k.matrix(P), c.K)).toBeLessThan(1e-12);
      expect(maxRelErr(k.matrix(P, P2), c.K12)).toBeLessThan(1e-12);
      expect(maxRelErr(k.diag(P), c.diag)).toBeLessThan(1e-12);
      const { K, dK } = k.gradient(P);
      expect(maxRelErr(K, c.K)).toBeLessThan(1e-12);
      expect(dK.length).toBe(c.nTheta);
      const n = P.n;
      for (let j = 0; j < c.nTheta; j++) {
        // scikit-learn stores ∂K/∂θ as [n, n, p].
        const ref = Float64Array.from({ length: n * n }, (_, i) => c.dK[i * c.nTheta + j]!);
        expect(maxRelErr(dK[j]!, ref, 1e-12)).toBeLessThan(1e-10);
      }
    });
  }

  it('gradients agree with finite differences of K in θ', () => {
    const k = kernelFromSpec(cases[8]!.spec);
    const th = k.theta;
    const { dK } = k.gradient(P);
    for (let j = 0; j < th.length; j++) {
      const h = 1e-6;
      const tp = th.slice();
      tp[j] = tp[j]! + h;
      const tm = th.slice();
      tm[j] = tm[j]! - h;
      const Kp = k.withTheta(tp).matrix(P);
      const Km = k.withTheta(tm).matrix(P);
      const fd = Kp.map((v, i) => (v - Km[i]!) / (2 * h));
      expect(maxRelErr(dK[j]!, fd, 1e-8)).toBeLessThan(1e-6);
    }
  });

  it('round-trips specs, composes with plus/times and rejects bad hyper-parameters', () => {
    const k = new ConstantKernel({ value: 2 }).times(new RBF({ lengthScale: 1.3 })).plus(new WhiteKernel({ noiseLevel: 0.1 }));
    expect(kernelFromSpec(k.toSpec()).matrix(P)).toEqual(k.matrix(P));
    expect(maxRelErr(k.matrix(P), cases[8]!.K)).toBeLessThan(1e-12);
    expect(() => new RBF({ lengthScale: -1 })).toThrow(ValueError);
    expect(() => new RBF({ lengthScale: 1, bounds: [2, 1] })).toThrow(ValueError);
    expect(() => new Matern({ nu: 2 as 1.5 })).toThrow(ValueError);
    expect(() => new RBF().withTheta([0, 1])).toThrow(ShapeError);
    expect(() => new RBF().matrix([[0, 1]], [[0]])).toThrow(ShapeError);
    expect(() => new RBF().matrix([NaN, 1])).toThrow(ValueError);
    expect(new RBF({ bounds: 'fixed' }).nTheta).toBe(0);
  });
});
