// Scaling study of LightCurveGPT pre-training against the simulator's white-noise floor.
//
// Models from ~1e3 to ~1.3e7 parameters are pre-trained on the mix of real windows (the real
// stars of real-corpus.ts minus the held-out ones) and simulated stars. The held-out loss is
// measured on simulated stars the models never saw, where the loss no model can beat is known:
// the expected Huber loss of the simulator's white noise in the standardised units the model
// sees (whiteNoiseFloor: σ = white noise ppm / the star's flux scale, per window). The
// reducible loss L − L_floor is fitted as a power law a·N^−α, next to L = L∞ + a·N^−α with a
// free L∞. Sizes up to 128 × 2 (~4e5) share one budget of 300 optimiser steps; the three
// largest (2.4e6, 7.1e6, 1.26e7) can only be run for 60, 24 and 12 steps on 2 shared CPU cores
// (wasm), so they are reported but not fitted.
// Writes examples/out/lightcurve-gpt/scaling.{svg,json}.
//
//   npx tsx lightcurve-gpt/scaling.ts      (from examples/; ASTRO_SMOKE=1: tiny)
//   SIZES=0,1,2 runs a subset of the size list (results merge into scaling.json by size)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ready, Rng } from '@astro/core';
import { linePlot, writeSvg } from '@astro/core/plot';
import {
  LightCurveGPT,
  concatWindows,
  evaluateNextPatchLoss,
  fitPowerLaw,
  fitPowerLawWithFloor,
  whiteNoiseFloor,
} from '@astro/lightcurve-gpt';
import { PATCH, PATCHES, loadRealStars, simulatedPopulation, starWindows } from './real-corpus.js';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const info = await ready();
console.log(`backend: ${info.backend}${smoke ? ' (smoke run)' : ''}`);
const out = 'out/lightcurve-gpt';
mkdirSync(out, { recursive: true });
const file = `${out}/scaling${smoke ? '-smoke' : ''}.json`;

const root = new Rng(77);
const real = await loadRealStars();
// The same held-out real stars as real-stars.ts: every labelled star is held out; train on the rest.
const train = real.filter((s) => !s.numax);
const realW = concatWindows(train.map((s) => starWindows(s.lc, smoke ? 1024 : 4 * PATCH)));
const sim = simulatedPopulation(smoke ? 8 : 240, root.fork('simulated'), smoke ? 256 : 64, smoke ? { durationScale: 0.5 } : {});
const mix = concatWindows([realW, ...sim.map((s) => s.windows)]);
const held = simulatedPopulation(smoke ? 6 : 60, root.fork('simulated-held-out'), PATCH * PATCHES, smoke ? { durationScale: 0.5 } : {});
const heldW = concatWindows(held.map((s) => s.windows));
const realHeld = concatWindows(real.filter((s) => s.numax).map((s) => starWindows(s.lc, PATCH * PATCHES, smoke ? 4 : 100)));

// The floor: per held-out window, σ = white noise / flux scale; weighted by predicted cadences.
const sigma: number[] = [];
const observed: number[] = [];
for (const s of held) {
  const w = s.windows;
  for (let k = 0; k < w.windows; k++) {
    sigma.push(s.star.whiteNoisePpm / w.fluxScale![k]!);
    let o = 0;
    for (let i = PATCH; i < PATCH * PATCHES; i++) o += w.mask[k * PATCH * PATCHES + i]!;
    observed.push(o);
  }
}
const floor = whiteNoiseFloor(sigma, { observed });
console.log(
  `pre-training windows: ${mix.windows} (${realW.windows} real, ${mix.windows - realW.windows} simulated); held-out: ${heldW.windows} simulated, ${realHeld.windows} real`,
);
console.log(`white-noise floor of the held-out simulated windows: ${floor.toFixed(4)}`);

const all = smoke
  ? [
      { dim: 8, layers: 1, steps: 10 },
      { dim: 16, layers: 1, steps: 10 },
      { dim: 32, layers: 2, steps: 10 },
    ]
  : [
      { dim: 8, layers: 1, steps: 300 },
      { dim: 16, layers: 2, steps: 300 },
      { dim: 32, layers: 2, steps: 300 },
      { dim: 64, layers: 2, steps: 300 },
      { dim: 128, layers: 2, steps: 300 },
      { dim: 256, layers: 3, steps: 60 },
      { dim: 384, layers: 4, steps: 24 },
      { dim: 512, layers: 4, steps: 12 },
    ];
const pick = process.env['SIZES'] ? process.env['SIZES'].split(',').map(Number) : all.map((_, i) => i);
type Row = {
  dim: number;
  layers: number;
  params: number;
  steps: number;
  batchSize: number;
  loss: number;
  realLoss: number;
  seconds: number;
  backend: string;
};
const prev: { rows?: Row[] } = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
const rows = new Map<string, Row>((prev.rows ?? []).map((r) => [`${r.dim}x${r.layers}`, r]));
const batchSize = smoke ? 8 : 16;
for (const i of pick) {
  const s = all[i]!;
  const m = new LightCurveGPT({
    patchSize: PATCH,
    maxPatches: PATCHES,
    dim: s.dim,
    layers: s.layers,
    heads: Math.max(1, s.dim / 32),
    seed: 1,
  });
  const t0 = performance.now();
  await m.fit(mix, { steps: s.steps, batchSize, lr: s.dim >= 256 ? 1e-3 : 2e-3, seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  const row = {
    dim: s.dim,
    layers: s.layers,
    params: m.numParameters(),
    steps: s.steps,
    batchSize,
    loss: await evaluateNextPatchLoss(m, heldW),
    realLoss: await evaluateNextPatchLoss(m, realHeld),
    seconds,
    backend: info.backend,
  };
  rows.set(`${s.dim}x${s.layers}`, row);
  console.log(
    `dim ${s.dim} × ${s.layers}: ${row.params} parameters, ${s.steps} steps, held-out simulated ${row.loss.toFixed(4)} (floor ${floor.toFixed(4)}), real ${row.realLoss.toFixed(4)} (${seconds.toFixed(0)} s)`,
  );
  m.dispose();
  writeFileSync(file, JSON.stringify({ floor, rows: [...rows.values()].sort((a, b) => a.params - b.params) }, null, 1));
}

const sorted = [...rows.values()].sort((a, b) => a.params - b.params);
const budget = sorted[0]!.steps;
const fitted = sorted.filter((r) => r.steps === budget && r.loss > floor);
const N = fitted.map((r) => r.params);
const reducible = fitPowerLaw(
  N,
  fitted.map((r) => r.loss - floor),
);
const free =
  fitted.length >= 3
    ? fitPowerLawWithFloor(
        N,
        fitted.map((r) => r.loss),
      )
    : undefined;
console.log(
  `reducible loss: L − ${floor.toFixed(4)} = ${reducible.a.toFixed(4)}·N^−${reducible.alpha.toFixed(3)} (rms log residual ${reducible.rmsLogResidual.toFixed(3)}, ${fitted.length} sizes at ${budget} steps)`,
);
if (free)
  console.log(
    `free floor: L = ${free.lInf.toFixed(4)} + ${free.a.toFixed(3)}·N^−${free.alpha.toFixed(3)} (rms log residual ${free.rmsLogResidual.toFixed(4)})`,
  );
writeFileSync(file, JSON.stringify({ floor, budget, rows: sorted, reducible, free }, null, 1));
const short = sorted.filter((r) => r.steps !== budget);
const grid = Array.from({ length: 41 }, (_, i) => N[0]! * (sorted[sorted.length - 1]!.params / N[0]!) ** (i / 40));
await writeSvg(
  `${out}/scaling.svg`,
  await linePlot({
    title: `LightCurveGPT: reducible loss L − L_floor ∝ N^−${reducible.alpha.toFixed(2)} (${budget} steps; white-noise floor ${floor.toFixed(3)})`,
    series: [
      { name: `L − L_floor, ${budget} steps`, x: N, y: fitted.map((r) => r.loss - floor) },
      { name: 'a·N^−α', x: grid, y: grid.map((n) => reducible.a * n ** -reducible.alpha) },
      ...(short.length
        ? [
            {
              name: `L − L_floor, ${short.map((r) => r.steps).join('/')} steps only`,
              x: short.map((r) => r.params),
              y: short.map((r) => Math.max(r.loss - floor, 1e-4)),
            },
          ]
        : []),
    ],
    x: { title: 'parameters', log: true },
    y: { title: 'held-out next-patch Huber loss above the floor', log: true },
    points: true,
  }),
);
