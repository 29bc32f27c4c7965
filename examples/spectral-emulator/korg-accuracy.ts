// Accuracy of The Payne (MLP) and TransformerPayne on the Korg synthetic grids at matched
// parameter count and matched training compute: MAE and 95th-percentile |error| in normalised
// flux on (a) a held-out 20% of the irregular grid and (b) the same 200 irregular-grid spectra when training on
// the regular grid (interpolation between grid nodes). Writes out/spectral-emulator/korg-accuracy.json.
//
//   npx tsx spectral-emulator/korg-accuracy.ts     (ASTRO_SMOKE=1: a few steps)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ready, tf } from '@astro/core';
import { dataPath } from '@astro/core/data';
import {
  KORG_LABELS,
  TransformerPayne,
  createPayne,
  loadKorgGrid,
  subsetRows,
  trainEmulator,
  type SpectraDataset,
  type SpectralEmulator,
} from '@astro/spectral-emulator';

const smoke = process.env['ASTRO_SMOKE'] === '1';
await ready({ backend: 'wasm' });
const irregular = await loadKorgGrid(dataPath('spectra', 'korg-irregular-flux'));
const regular = await loadKorgGrid(dataPath('spectra', 'korg-regular-flux'));
const domain = { ...KORG_LABELS, min: Float64Array.of(4500, 2.5, -0.3), max: Float64Array.of(7000, 5, 0.3) };
const tpSteps = smoke ? 3 : Number(process.env['TP_STEPS'] ?? 250);
const batch = 16;

async function errors(model: SpectralEmulator, test: SpectraDataset): Promise<{ mae: number; p95: number }> {
  const abs = new Float64Array(test.rows * test.numPixels);
  for (let r = 0; r < test.rows; r += 25) {
    const n = Math.min(25, test.rows - r);
    const x = tf.tensor2d(Float32Array.from(test.labels.subarray(r * 3, (r + n) * 3)), [n, 3]);
    const y = model.emulate(x);
    const f = await y.data();
    tf.dispose([x, y]);
    for (let i = 0; i < f.length; i++) abs[r * test.numPixels + i] = Math.abs(f[i]! - test.flux[r * test.numPixels + i]!);
  }
  const sorted = Float64Array.from(abs).sort();
  return { mae: abs.reduce((a, b) => a + b, 0) / abs.length, p95: sorted[Math.floor(0.95 * (sorted.length - 1))]! };
}

const split = 800;
const tasks = [
  {
    name: 'irregular grid, held-out 20%',
    train: subsetRows(
      irregular,
      Array.from({ length: split }, (_, i) => i),
    ),
    test: subsetRows(
      irregular,
      Array.from({ length: smoke ? 20 : irregular.rows - split }, (_, i) => split + i),
    ),
  },
  {
    name: 'regular grid → irregular grid',
    train: regular,
    test: subsetRows(
      irregular,
      Array.from({ length: smoke ? 3 : 200 }, (_, i) => split + i),
    ),
  },
];
const results: unknown[] = [];
for (const task of tasks) {
  const tp = new TransformerPayne({
    domain,
    wavelengthAngstrom: task.train.wavelengthAngstrom!,
    width: 32,
    baseWidth: 32,
    numHeads: 4,
    numLayers: 2,
    numTokens: 8,
    trainWavelengths: 64,
    seed: 1,
  });
  const nTp = tp.numParameters();
  // The Payne with the same parameter count: h² + (k + P + 2)h + P = N  →  h
  const k = 3;
  const P = task.train.numPixels;
  const h = Math.round((-(k + P + 2) + Math.sqrt((k + P + 2) ** 2 + 4 * (nTp - P))) / 2);
  const payne = createPayne({ domain, numPixels: P, width: h, seed: 1, wavelengthAngstrom: task.train.wavelengthAngstrom! });
  const tpRes = await trainEmulator(tp, task.train, {
    steps: tpSteps,
    batchSize: batch,
    lr: 8e-3,
    loss: 'mse',
    seed: 2,
    lrMultipliers: tp.lrMultipliers(),
  });
  // matched training compute: as many Payne steps (batch 16, all pixels) as TransformerPayne's FLOPs allow
  const payneSteps = Math.max(1, Math.round(tpRes.flops / (batch * payne.trainFlopsPerSample())));
  const pRes = await trainEmulator(payne, task.train, { steps: payneSteps, batchSize: batch, lr: 3e-3, loss: 'l1', seed: 2 });
  const eTp = await errors(tp, task.test);
  const eP = await errors(payne, task.test);
  const row = {
    task: task.name,
    train: task.train.rows,
    test: task.test.rows,
    payne: { params: payne.numParameters(), width: h, steps: payneSteps, flops: pRes.flops, ...eP },
    transformerPayne: { params: nTp, steps: tpSteps, flops: tpRes.flops, ...eTp },
  };
  results.push(row);
  console.log(`${task.name}: train ${row.train}, test ${row.test}`);
  console.log(
    `  The Payne        ${row.payne.params} params, ${payneSteps} steps, ${pRes.flops.toExponential(2)} FLOP: MAE ${eP.mae.toExponential(3)}, p95 ${eP.p95.toExponential(3)}`,
  );
  console.log(
    `  TransformerPayne ${nTp} params, ${tpSteps} steps, ${tpRes.flops.toExponential(2)} FLOP: MAE ${eTp.mae.toExponential(3)}, p95 ${eTp.p95.toExponential(3)}`,
  );
  tp.dispose();
  payne.dispose();
}
const outDir = join(import.meta.dirname, '..', 'out', 'spectral-emulator');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'korg-accuracy.json'), JSON.stringify({ smoke, results }, null, 2));
console.log(`wrote ${join(outDir, 'korg-accuracy.json')}`);
