import { describe, expect, it, beforeAll } from 'vitest';
import { ready, ValueError, ShapeError } from '@astro/core';
import { Rng } from '@astro/core';
import { robustScatter, EmbeddingRegressor, fitRegressor, kthNeighbourScore, reconstructionScore } from '../src/index.js';

beforeAll(async () => {
  await ready({ backend: 'wasm' });
});

describe('robustScatter', () => {
  it('is 1.4826·MAD (closed form) and ≈ σ for Gaussian samples', () => {
    expect(robustScatter([1, 2, 3, 4, 100])).toBeCloseTo(1.4826 * 1, 10);
    const rng = new Rng(1);
    const x = Float64Array.from({ length: 20000 }, () => 3 * rng.normal());
    expect(Math.abs(robustScatter(x) - 3)).toBeLessThan(0.1);
    expect(() => robustScatter([])).toThrow(ValueError);
    expect(() => robustScatter([1, NaN])).toThrow(ValueError);
  });
});

describe('EmbeddingRegressor', () => {
  it('learns a label and its heteroscedastic noise level', async () => {
    // y = 2·x0 − x1 + σ(x)·ε with σ = 0.1 for x2 < 0 and 0.5 for x2 > 0
    const rng = new Rng(2);
    const n = 1200;
    const D = 4;
    const x = new Float32Array(n * D);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < D; j++) x[i * D + j] = rng.normal();
      const s = x[i * D + 2]! < 0 ? 0.1 : 0.5;
      y[i] = 2 * x[i * D]! - x[i * D + 1]! + s * rng.normal();
    }
    const reg = new EmbeddingRegressor({ inputs: D, outputs: 1, hidden: [32, 32], seed: 3 });
    await fitRegressor(reg, x, y, { epochs: 60, batchSize: 64, lr: 5e-3, seed: 4 });
    const test = new Float32Array([0.5, 0.2, -1, 0, 0.5, 0.2, 1, 0]);
    const p = await reg.predict(test);
    // the mean at both points is 2·0.5 − 0.2 = 0.8; with 1200 samples the fitted head is within a
    // few hundredths where σ = 0.1 and within ~0.1 where σ = 0.5
    expect(Math.abs(p.mean[0]! - 0.8)).toBeLessThan(0.05);
    expect(Math.abs(p.mean[1]! - 0.8)).toBeLessThan(0.15);
    expect(p.std[0]!).toBeGreaterThan(0.05);
    expect(p.std[0]!).toBeLessThan(0.25);
    expect(p.std[1]!).toBeGreaterThan(0.3);
    expect(p.std[1]!).toBeLessThan(0.8);
    await expect(fitRegressor(reg, x, y.subarray(1), { epochs: 1 })).rejects.toThrow(ShapeError);
    await expect(reg.predict(new Float32Array(5))).rejects.toThrow(ShapeError);
    console.log(
      `EmbeddingRegressor at (0.5, 0.2, ∓1, 0): mean ${p.mean[0]!.toFixed(4)} / ${p.mean[1]!.toFixed(4)} (truth 0.8), σ ${p.std[0]!.toFixed(3)} / ${p.std[1]!.toFixed(3)} (truth 0.1 / 0.5)`,
    );
    reg.dispose();
  });
});

describe('anomaly scores', () => {
  it('the k-th-neighbour distance flags an off-cluster embedding; reconstruction error is a per-row MSE', async () => {
    const rng = new Rng(5);
    const rows: number[][] = [];
    for (let i = 0; i < 200; i++) rows.push([1 + 0.05 * rng.normal(), 0.05 * rng.normal(), 0.05 * rng.normal()]);
    rows.push([0, 0, 1]); // orthogonal to the cluster
    const s = await kthNeighbourScore(rows, rows, 5, { excludeSelf: true });
    let arg = 0;
    for (let i = 1; i < s.length; i++) if (s[i]! > s[arg]!) arg = i;
    expect(arg).toBe(200);
    expect(s[200]!).toBeGreaterThan(0.8);
    expect(Array.from(reconstructionScore([1, 2, 3, 4], [1, 0, 3, NaN], 2))).toEqual([2, 0]);
    expect(() => reconstructionScore([1, 2], [1], 1)).toThrow(ValueError);
  });
});
