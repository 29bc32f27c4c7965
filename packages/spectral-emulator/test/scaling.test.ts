import { beforeAll, describe, expect, it } from 'vitest';
import { ready, ShapeError, ValueError } from '@astro/core';
import { KORG_LABELS, createPayne, fitPowerLaw, fitScalingLaws, loadKorgGrid, scalingSweep, subsetRows } from '../src/index.js';
import { fixture, spectra } from './data.js';

interface PowerFixture {
  x: number[];
  loss: number[];
  slope: number;
  intercept: number;
  cov: number[][];
}

describe('fitPowerLaw', () => {
  it('matches numpy.polyfit(log10 x, log10 L, 1, cov=True), covariance included', () => {
    const fx = fixture<PowerFixture>('power_law.json');
    const fit = fitPowerLaw(fx.x, fx.loss);
    expect(-fit.alpha).toBeCloseTo(fx.slope, 12);
    expect(Math.log10(fit.a)).toBeCloseTo(fx.intercept, 12);
    expect(fit.alphaErr).toBeCloseTo(Math.sqrt(fx.cov[0]![0]!), 12);
    expect(fit.log10AErr).toBeCloseTo(Math.sqrt(fx.cov[1]![1]!), 12);
    expect(fit.covariance[1]).toBeCloseTo(fx.cov[0]![1]!, 12); // cov(log10 a, slope)
  });

  it('recovers an exact power law and refuses bad input', () => {
    const x = [10, 100, 1000, 1e4];
    const fit = fitPowerLaw(
      x,
      x.map((v) => 3 * v ** -0.5),
    );
    expect(fit.alpha).toBeCloseTo(0.5, 12);
    expect(fit.a).toBeCloseTo(3, 10);
    expect(fit.predict(1e6)).toBeCloseTo(3e-3, 12);
    expect(fit.rmsDex).toBeLessThan(1e-12);
    expect(() => fitPowerLaw([1, 2], [1, 2])).toThrow(ShapeError);
    expect(() => fitPowerLaw([1, 2, 0], [1, 2, 3])).toThrow(ValueError);
  });
});

describe('scalingSweep on the Korg grid', () => {
  beforeAll(async () => {
    await ready({ backend: 'wasm' });
  });

  it('records N, D, samples seen and FLOPs for every run and fits L(N), L(D), L(C)', async () => {
    const korg = await loadKorgGrid(spectra('korg-irregular-flux'));
    const domain = { ...KORG_LABELS, min: Float64Array.of(4500, 2.5, -0.3), max: Float64Array.of(7000, 5, 0.3) };
    const runs = await scalingSweep({
      sizes: [4, 8, 16],
      datasetSizes: [50, 100, 200],
      build: (w) => createPayne({ domain, numPixels: korg.numPixels, width: w, seed: 1 }),
      train: subsetRows(
        korg,
        Array.from({ length: 200 }, (_, i) => i),
      ),
      test: subsetRows(
        korg,
        Array.from({ length: 100 }, (_, i) => 900 + i),
      ),
      trainOptions: { steps: 15, batchSize: 25, lr: 1e-2, loss: 'mse', seed: 0 },
    });
    expect(runs).toHaveLength(9);
    for (const r of runs) {
      const model = createPayne({ domain, numPixels: korg.numPixels, width: r.size });
      expect(r.params).toBe(model.numParameters());
      expect(r.samplesSeen).toBe(15 * 25);
      expect(r.flops).toBe(r.samplesSeen * model.trainFlopsPerSample());
      expect(r.testLoss).toBeGreaterThan(0);
      model.dispose();
    }
    const laws = fitScalingLaws(runs);
    for (const f of [laws.params, laws.data, laws.compute]) {
      expect(Number.isFinite(f.alpha)).toBe(true);
      expect(Number.isFinite(f.alphaErr)).toBe(true);
    }
    expect(laws.params.n).toBe(3);
    expect(laws.data.n).toBe(3);
  });
});
