import { describe, expect, it, beforeAll } from 'vitest';
import { ValueError, ShapeError } from '@astro/core';
import { loadPayne, payneFlux, loadMist, simulatePairs, degrade, type PayneWeights, type MistLabels } from '../src/index.js';
import ref from './fixtures/reference.json';

let payne: PayneWeights;
let mist: MistLabels;
beforeAll(async () => {
  [payne, mist] = await Promise.all([loadPayne(), loadMist()]);
});

describe('Payne per-pixel model', () => {
  it('matches NumPy float64 evaluation at three label vectors', () => {
    const flux = payneFlux(payne, Float64Array.from(ref.payne.labels.flat()));
    ref.payne.labels.forEach((_, r) => {
      ref.payne.pixels.forEach((p, j) => expect(flux[r * payne.pixels + p]).toBeCloseTo(ref.payne.flux[r]![j]!, 5));
      let m = 0;
      for (let i = 0; i < payne.pixels; i++) m += flux[r * payne.pixels + i]!;
      expect(m / payne.pixels).toBeCloseTo(ref.payne.mean[r]!, 5);
    });
  });
  it('rejects labels outside the training box and bad lengths', () => {
    expect(() => payneFlux(payne, Float64Array.from([9000, 4.4, 0, 0, 6]))).toThrow(ValueError);
    expect(() => payneFlux(payne, Float64Array.from([5000, 4.4, NaN, 0, 6]))).toThrow(/NaN/);
    expect(() => payneFlux(payne, Float64Array.from([5000, 4.4, 0]))).toThrow(ShapeError);
  });
});

describe('degrade', () => {
  it('keeps a constant spectrum constant and conserves a line equivalent width', () => {
    const c = degrade(new Float32Array(200).fill(0.7), 200, 20, 3);
    for (const v of c) expect(v).toBeCloseTo(0.7, 6);
    const line = new Float32Array(200).fill(1);
    line[100] = 0; // an absorption line of equivalent width 1 pixel
    const d = degrade(line, 200, 20, 3);
    let ew = 0;
    for (const v of d) ew += (1 - v) * 10; // 10 input pixels per output bin
    expect(ew).toBeCloseTo(1, 4);
  });
  it('rejects a non-positive LSF and impossible binning', () => {
    expect(() => degrade(new Float32Array(10), 10, 5, 0)).toThrow(ValueError);
    expect(() => degrade(new Float32Array(10), 10, 11, 1)).toThrow(ValueError);
  });
});

describe('simulatePairs', () => {
  it('draws MIST labels inside the Payne box and adds noise at the stated S/N', () => {
    const p = simulatePairs(payne, mist, { n: 40, seed: 3, stride: 4 });
    expect(p.highPixels).toBe(Math.ceil(7214 / 4));
    expect(p.lowPixels).toBe(110);
    expect(p.high.length).toBe(40 * p.highPixels);
    for (let i = 0; i < 40; i++) {
      expect(p.labels[i * 3]!).toBeGreaterThanOrEqual(payne.xMin[0]!);
      expect(p.labels[i * 3]!).toBeLessThanOrEqual(payne.xMax[0]!);
      expect(p.labels[i * 3 + 1]!).toBeGreaterThanOrEqual(4);
      expect(p.snrHigh[i]!).toBeGreaterThanOrEqual(30);
      expect(p.snrHigh[i]!).toBeLessThanOrEqual(300);
    }
    // standardised residuals (noisy − clean)/σ are N(0, 1): over 72k pixels the variance is 1 ± 0.02
    let s2 = 0;
    let s1 = 0;
    for (let k = 0; k < p.high.length; k++) {
      const r = (p.high[k]! - p.highClean[k]!) / p.highErr[k]!;
      s1 += r;
      s2 += r * r;
    }
    expect(Math.abs(s1 / p.high.length)).toBeLessThan(0.02);
    expect(s2 / p.high.length).toBeGreaterThan(0.98);
    expect(s2 / p.high.length).toBeLessThan(1.02);
    // the low-resolution view is the broadened, rebinned clean spectrum
    const again = simulatePairs(payne, mist, { n: 40, seed: 3, stride: 4 });
    expect(again.low).toEqual(p.low);
    const other = simulatePairs(payne, mist, { n: 40, seed: 4, stride: 4 });
    expect(other.labels).not.toEqual(p.labels);
  });
  it('rejects bad S/N ranges', () => {
    expect(() => simulatePairs(payne, mist, { n: 2, seed: 1, snrHigh: [0, 10] })).toThrow(ValueError);
  });
});
