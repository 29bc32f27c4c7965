// A small scaling study of The Payne on the Korg irregular grid: sweep width (parameters N) and
// training-set size D at a fixed number of steps, record samples seen and training FLOPs C,
// fit L(N), L(D) and L(C) power laws with 1σ errors, and plot them.
// Writes out/spectral-emulator/scaling-laws.{json,svg}. Minutes on a CPU; ASTRO_SMOKE=1: seconds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { scatterPlot, writeSvg } from '@astro/core/plot';
import { KORG_LABELS, createPayne, fitScalingLaws, loadKorgGrid, scalingSweep, subsetRows } from '@astro/spectral-emulator';

const smoke = process.env['ASTRO_SMOKE'] === '1';
await ready({ backend: 'wasm' });
const korg = await loadKorgGrid(dataPath('spectra', 'korg-irregular-flux'));
const domain = { ...KORG_LABELS, min: Float64Array.of(4500, 2.5, -0.3), max: Float64Array.of(7000, 5, 0.3) };

const runs = await scalingSweep({
  sizes: smoke ? [4, 8, 16] : [8, 16, 32, 64],
  datasetSizes: smoke ? [50, 100, 200] : [100, 200, 400, 800],
  build: (width) => createPayne({ domain, numPixels: korg.numPixels, width, seed: 1 }),
  train: subsetRows(
    korg,
    Array.from({ length: 800 }, (_, i) => i),
  ),
  test: subsetRows(
    korg,
    Array.from({ length: 200 }, (_, i) => 800 + i),
  ),
  trainOptions: { steps: smoke ? 10 : 400, batchSize: 32, lr: 5e-3, loss: 'mse', seed: 0 },
  onRun: (r) =>
    console.log(
      `N ${String(r.params).padStart(7)}  D ${String(r.datasetSize).padStart(4)}  C ${r.flops.toExponential(2)} FLOP  test MSE ${r.testLoss.toExponential(3)}`,
    ),
});
const laws = fitScalingLaws(runs);
const show = (name: string, f: typeof laws.params) =>
  console.log(`${name}: L ∝ x^−${f.alpha.toFixed(3)} ± ${f.alphaErr.toFixed(3)}  (${f.n} points, rms ${f.rmsDex.toFixed(3)} dex)`);
show('L(N)', laws.params);
show('L(D)', laws.data);
show('L(C)', laws.compute);

const outDir = join(import.meta.dirname, '..', 'out', 'spectral-emulator');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  join(outDir, 'scaling-laws.json'),
  JSON.stringify(
    {
      smoke,
      runs,
      fits: Object.fromEntries(
        Object.entries(laws).map(([k, f]) => [
          k,
          { a: f.a, alpha: f.alpha, alphaErr: f.alphaErr, log10AErr: f.log10AErr, rmsDex: f.rmsDex, n: f.n },
        ]),
      ),
    },
    null,
    2,
  ),
);
await writeSvg(
  join(outDir, 'scaling-laws.svg'),
  await scatterPlot({
    x: runs.map((r) => r.flops),
    y: runs.map((r) => r.testLoss),
    color: { values: runs.map((r) => r.params), title: 'parameters N', log: true },
    xAxis: { title: 'training compute C (FLOP)', log: true },
    yAxis: { title: 'test MSE (normalised flux²)', log: true },
    title: `The Payne on Korg: L(C) ∝ C^−${laws.compute.alpha.toFixed(2)}, L(N) ∝ N^−${laws.params.alpha.toFixed(2)}, L(D) ∝ D^−${laws.data.alpha.toFixed(2)}`,
  }),
);
console.log(`wrote ${join(outDir, 'scaling-laws.json')} and scaling-laws.svg`);
