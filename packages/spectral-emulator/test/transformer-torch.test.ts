import { afterAll, beforeAll, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '@astro/core';
import { describeBackends, compareClose } from '@astro/core/testing';
import { TransformerPayne } from '../src/index.js';
import { fixture } from './data.js';

interface TorchFixture {
  labels: number[][];
  grid_flux: number[][];
  off_grid_wavelength: number[];
  off_grid_flux: number[][];
}
const fx = fixture<TorchFixture>('transformer_payne_torch.json');
// a small model written by tools/fixtures/spectral_emulator_transformer.py from PyTorch (state-dict names)
const modelDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'transformer_payne_torch');

await describeBackends('TransformerPayne vs the same weights in PyTorch', ({ backend, tol }) => {
  let model: TransformerPayne;
  beforeAll(async () => {
    model = await TransformerPayne.load(modelDir);
  });
  afterAll(() => model.dispose());
  // float32 here vs float64 PyTorch on the same float32 weights: 1e-5 on cpu/wasm; webgpu sums in another order
  const atol = backend === 'webgpu' ? tol.atol : 1e-5;

  it('gives PyTorch’s flux on the model grid and at off-grid wavelengths', async () => {
    expect(model.hp.width).toBe(16);
    expect(model.numPixels).toBe(fx.grid_flux[0]!.length);
    const before = tf.memory().numTensors;
    // webgpu runs on SwiftShader here: two label rows keep it quick
    const rows = backend === 'webgpu' ? [0, 2] : fx.labels.map((_, i) => i);
    const labels = rows.map((r) => fx.labels[r]!);
    const grid = model.predictTensor(labels);
    const off = tf.tidy(() => model.fluxAt(tf.tensor2d(labels), fx.off_grid_wavelength));
    const [g, o] = [(await grid.array()) as number[][], (await off.array()) as number[][]];
    tf.dispose([grid, off]);
    let worst = 0;
    rows.forEach((r, i) => {
      const a = compareClose(g[i]!, fx.grid_flux[r]!, { atol, rtol: 0 });
      expect(a.ok, `grid row ${r}: ${a.message}`).toBe(true);
      const b = compareClose(o[i]!, fx.off_grid_flux[r]!, { atol, rtol: 0 });
      expect(b.ok, `off-grid row ${r}: ${b.message}`).toBe(true);
      worst = Math.max(worst, a.maxAbsErr, b.maxAbsErr);
    });
    console.log(`TransformerPayne vs PyTorch on ${backend}: max |Δflux| = ${worst.toExponential(2)}`);
    // the reference varies with wavelength and labels, so agreement is not a constant coincidence
    expect(Math.max(...fx.grid_flux[0]!) - Math.min(...fx.grid_flux[0]!)).toBeGreaterThan(0.1);
    expect(tf.memory().numTensors).toBe(before + 1); // the grid's wavelength encoding, cached by the model
  });
});
