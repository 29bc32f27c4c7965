import { describe, expect, it } from 'vitest';
import { ready, ShapeError, tf, ValueError } from '@astro/core';
import { Rng } from '@astro/core/nn';
import { expectedGaussianHuber, maskedHuber, normalCdf, whiteNoiseFloor } from '../../src/index.js';

/** E[h_δ(ε)], ε ~ N(0, σ²), by the trapezoid rule over ±12σ (independent of the closed form). */
function quadrature(sigma: number, delta: number): number {
  const n = 200000;
  const a = -12 * sigma;
  const h = (24 * sigma) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const x = a + i * h;
    const d = Math.abs(x);
    const hub = d <= delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
    const p = Math.exp((-0.5 * x * x) / (sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    s += (i === 0 || i === n ? 0.5 : 1) * hub * p;
  }
  return s * h;
}

describe('white-noise floor of the next-patch loss', () => {
  it('normal CDF matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
  });
  it('closed-form expected Huber loss equals numerical quadrature', () => {
    for (const [sigma, delta] of [
      [0.05, 1],
      [0.5, 1],
      [1, 1],
      [2.5, 1],
      [1, 0.3],
      [7, 2],
    ] as const) {
      const q = quadrature(sigma, delta);
      expect(Math.abs(expectedGaussianHuber(sigma, delta) - q) / q).toBeLessThan(1e-5);
    }
    // δ ≫ σ: half the variance; σ = 0: nothing to pay.
    expect(expectedGaussianHuber(0.01, 1)).toBeCloseTo(0.5e-4, 10);
    expect(expectedGaussianHuber(0, 1)).toBe(0);
  });
  it('equals the model loss (maskedHuber) of pure Gaussian noise, within Monte Carlo error', async () => {
    await ready({ backend: 'cpu' });
    const rng = new Rng(3);
    const n = 200000;
    const sigma = 1.3;
    const noise = Float32Array.from({ length: n }, () => sigma * rng.normal());
    const l = maskedHuber(tf.tensor1d(noise), tf.zeros([n]), tf.ones([n]));
    const v = (await l.data())[0]!;
    l.dispose();
    // Per-sample Huber values have sd < 1.2 here: standard error < 0.003.
    expect(Math.abs(v - expectedGaussianHuber(sigma))).toBeLessThan(0.01);
  });
  it('weights windows by their observed cadences and rejects bad input', () => {
    const f = whiteNoiseFloor([0.5, 2], { observed: [3, 1] });
    expect(f).toBeCloseTo((3 * expectedGaussianHuber(0.5) + expectedGaussianHuber(2)) / 4, 12);
    expect(whiteNoiseFloor([0.5, 2])).toBeCloseTo((expectedGaussianHuber(0.5) + expectedGaussianHuber(2)) / 2, 12);
    expect(() => whiteNoiseFloor([])).toThrow(ValueError);
    expect(() => whiteNoiseFloor([1, 2], { observed: [1] })).toThrow(ShapeError);
    expect(() => expectedGaussianHuber(-1)).toThrow(/sigma/);
    expect(() => expectedGaussianHuber(1, 0)).toThrow(/delta/);
  });
});
