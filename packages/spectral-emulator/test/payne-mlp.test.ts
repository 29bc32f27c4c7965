import { beforeAll, describe, expect, it } from 'vitest';
import { tf, ready, AbortError } from '@astro/core';
import { describeBackends, compareClose } from '@astro/core/testing';
import { KORG_LABELS, createPayne, loadKorgGrid, subsetRows, trainEmulator, type SpectraDataset } from '../src/index.js';
import { fixture, spectra } from './data.js';

interface TrainFixture {
  rows: number;
  pixel_stride: number;
  label_min: number[];
  label_max: number[];
  init: Record<string, number[]>;
  losses: number[];
  final_loss: number;
  final: Record<string, number[]>;
}
const fx = fixture<TrainFixture>('payne_mlp_train.json');

/** The fixture's 32 Korg spectra, every 25th pixel. */
function fixtureData(full: SpectraDataset): SpectraDataset {
  const rows = subsetRows(
    full,
    Array.from({ length: fx.rows }, (_, i) => i),
  );
  const P = full.numPixels / fx.pixel_stride;
  const flux = new Float32Array(rows.rows * P);
  for (let r = 0; r < rows.rows; r++) for (let p = 0; p < P; p++) flux[r * P + p] = rows.flux[r * full.numPixels + p * fx.pixel_stride]!;
  return { ...rows, flux, numPixels: P };
}

let korg: SpectraDataset;
beforeAll(async () => {
  korg = await loadKorgGrid(spectra('korg-irregular-flux'));
});

// Training runs on cpu and wasm; webgpu training on SwiftShader is too slow for the suite
// (its forward pass is checked in payne-pixel.test.ts and bundle.test.ts).
await describeBackends(
  'The Payne MLP trains step for step like PyTorch (LeakyReLU, L1, AdamW)',
  () => {
    it('matches the torch loss trajectory and final weights over 6 full-batch steps', async () => {
      const data = fixtureData(korg);
      const model = createPayne({
        domain: { ...KORG_LABELS, min: Float64Array.from(fx.label_min), max: Float64Array.from(fx.label_max) },
        numPixels: data.numPixels,
        width: 16,
      });
      const shapes = Object.fromEntries(model.namedParameters().map(([n, v]) => [n, v.shape]));
      model.loadStateDict(Object.fromEntries(Object.entries(fx.init).map(([n, v]) => [n, tf.tensor(v, shapes[n])])));
      const before = tf.memory().numTensors;
      const res = await trainEmulator(model, data, { steps: 6, batchSize: 32, lr: 1e-2, loss: 'l1' });
      expect(tf.memory().numTensors).toBe(before);
      const rep = compareClose(res.losses, fx.losses, { atol: 1e-6, rtol: 1e-4 });
      expect(rep.ok, rep.message).toBe(true);
      for (const [n, v] of model.namedParameters()) {
        const w = compareClose(await v.data(), fx.final[n]!, { atol: 2e-5, rtol: 1e-4 });
        expect(w.ok, `${n}: ${w.message}`).toBe(true);
      }
      model.dispose();
    });
  },
  { backends: ['cpu', 'wasm'] },
);

describe('The Payne MLP on the Korg grid', () => {
  beforeAll(async () => {
    await ready({ backend: 'wasm' });
  });

  it('learns the irregular grid well below the spread of the spectra (seeded, no leaks)', async () => {
    const train = subsetRows(
      korg,
      Array.from({ length: 800 }, (_, i) => i),
    );
    const domain = { ...KORG_LABELS, min: Float64Array.of(4500, 2.5, -0.3), max: Float64Array.of(7000, 5, 0.3) };
    const model = createPayne({ domain, numPixels: korg.numPixels, width: 32, seed: 1 });
    const res = await trainEmulator(model, train, { steps: 200, batchSize: 32, lr: 1e-2, loss: 'l1', seed: 2 });
    // spread of the data about the mean spectrum (what a constant model would score)
    let mad = 0;
    const P = korg.numPixels;
    const mean = new Float64Array(P);
    for (let r = 0; r < train.rows; r++) for (let p = 0; p < P; p++) mean[p]! += train.flux[r * P + p]! / train.rows;
    for (let r = 0; r < train.rows; r++) for (let p = 0; p < P; p++) mad += Math.abs(train.flux[r * P + p]! - mean[p]!);
    mad /= train.rows * P;
    expect(res.losses[0]!).toBeGreaterThan(res.finalLoss * 3);
    expect(res.finalLoss).toBeLessThan(mad / 3);
    expect(res.samplesSeen).toBe(200 * 32);
    model.dispose();
  });

  it('stops with an AbortError when the signal fires', async () => {
    const domain = { ...KORG_LABELS, min: Float64Array.of(4500, 2.5, -0.3), max: Float64Array.of(7000, 5, 0.3) };
    const model = createPayne({ domain, numPixels: korg.numPixels, width: 8, seed: 1 });
    const ac = new AbortController();
    ac.abort();
    await expect(trainEmulator(model, korg, { steps: 5, signal: ac.signal })).rejects.toThrow(AbortError);
    model.dispose();
  });
});
