// muP learning-rate transfer for TransformerPayne: sweep the Adam learning rate at width 32
// (the muP base width) and at width 128, on the Korg irregular grid, and check the optimum
// moves by less than a factor of 2. Prints a table and writes out/spectral-emulator/mup-sweep.json.
//
//   npx tsx spectral-emulator/mup-lr-transfer.ts     (ASTRO_SMOKE=1: a few steps, two rates)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ready, tf } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { linePlot, writeSvg } from '@astro/core/plot';
import { KORG_LABELS, TransformerPayne, loadKorgGrid, subsetRows, trainEmulator } from '@astro/spectral-emulator';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const info = await ready({ backend: 'wasm' });
console.log(`backend: ${info.backend}${smoke ? ' (smoke mode)' : ''}`);

const korg = await loadKorgGrid(dataPath('spectra', 'korg-irregular-flux'));
const train = subsetRows(
  korg,
  Array.from({ length: 800 }, (_, i) => i),
);
const valid = subsetRows(
  korg,
  Array.from({ length: smoke ? 8 : 50 }, (_, i) => 800 + i),
);
// validate on every 5th pixel (queried directly: TransformerPayne evaluates any wavelength)
const validPixels = Array.from({ length: 100 }, (_, i) => 5 * i);
const validWl = validPixels.map((p) => korg.wavelengthAngstrom![p]!);
const domain = { ...KORG_LABELS, min: Float64Array.of(4500, 2.5, -0.3), max: Float64Array.of(7000, 5, 0.3) };

const baseWidth = 32;
const widths = smoke ? [32, 64] : [32, 128];
const lrs = smoke ? [4e-3, 1.6e-2] : [2e-3, 4e-3, 8e-3, 1.6e-2, 3.2e-2, 6.4e-2];
const steps = smoke ? 4 : 120;

interface Run {
  width: number;
  lr: number;
  trainLoss: number;
  validMse: number;
  seconds: number;
}
const runs: Run[] = [];
for (const width of widths) {
  for (const lr of lrs) {
    const model = new TransformerPayne({
      domain,
      wavelengthAngstrom: korg.wavelengthAngstrom!,
      width,
      baseWidth,
      numHeads: 4,
      numLayers: 2,
      numTokens: 8,
      trainWavelengths: 32,
      seed: 7,
    });
    const t0 = performance.now();
    const res = await trainEmulator(model, train, { steps, batchSize: 8, lr, loss: 'mse', seed: 1, lrMultipliers: model.lrMultipliers() });
    // validation MSE of held-out spectra at 100 grid wavelengths
    const x = tf.tensor2d(Float32Array.from(valid.labels), [valid.rows, 3]);
    const y = model.fluxAt(x, validWl);
    const f = await y.data();
    tf.dispose([x, y]);
    let se = 0;
    for (let r = 0; r < valid.rows; r++) {
      validPixels.forEach((p, j) => (se += (f[r * validPixels.length + j]! - valid.flux[r * valid.numPixels + p]!) ** 2));
    }
    const run = {
      width,
      lr,
      trainLoss: res.finalLoss,
      validMse: se / (valid.rows * validPixels.length),
      seconds: (performance.now() - t0) / 1000,
    };
    runs.push(run);
    console.log(
      `width ${String(width).padStart(3)}  lr ${lr.toExponential(1)}  train MSE ${run.trainLoss.toExponential(3)}  valid MSE ${run.validMse.toExponential(3)}  (${run.seconds.toFixed(1)} s)`,
    );
    model.dispose();
  }
}
const best = (w: number) => runs.filter((r) => r.width === w).reduce((a, b) => (b.validMse < a.validMse ? b : a));
const b32 = best(32);
const b128 = best(widths[1]!);
const ratio = b128.lr / b32.lr;
console.log(
  `optimal lr: width 32 → ${b32.lr}, width ${widths[1]} → ${b128.lr} (ratio ${ratio}); transfers within 2×: ${ratio >= 0.5 && ratio <= 2}`,
);

const outDir = join(import.meta.dirname, '..', 'out', 'spectral-emulator');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'mup-sweep.json'),
  JSON.stringify({ baseWidth, steps, batchSize: 8, runs, optimum: { [widths[0]!]: b32.lr, [widths[1]!]: b128.lr }, ratio }, null, 2),
);
await writeSvg(
  join(outDir, 'mup-sweep.svg'),
  await linePlot({
    series: widths.map((w) => ({ name: `width ${w}`, x: lrs, y: runs.filter((r) => r.width === w).map((r) => r.validMse) })),
    x: { title: 'Adam learning rate (base, before muP multipliers)', log: true },
    y: { title: 'validation MSE (normalised flux²)', log: true },
    points: true,
    title: 'TransformerPayne muP learning-rate transfer (Korg irregular grid)',
  }),
);
console.log(`wrote ${join(outDir, 'mup-sweep.json')} and mup-sweep.svg`);
