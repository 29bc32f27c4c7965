// Scaling and sample-efficiency study of LightCurveGPT on simulated Kepler long-cadence red
// giants (log g 2.4–3.3: ν_max ≈ 30–240 μHz), plus ν_max of the real Kepler stars.
//
// (a) pre-training loss (held-out next-patch Huber) vs parameter count over ~3 decades
//     (1.4e3–1.0e6) at a fixed budget of 200 steps; fits L = a·N^−α and L = L∞ + a·N^−α;
// (b) log g RMSE vs number of labelled stars: frozen pretrained embeddings + ridge head vs an
//     Astroconformer-style supervised baseline trained from scratch on the same stars;
// (c) classical ν_max of the pySYD Kepler stars vs the SYD catalogue.
// Writes examples/out/lightcurve-gpt/{scaling,sample-efficiency}.svg and results.json.
//
//   npx tsx lightcurve-gpt/scaling.ts      (from examples/; ASTRO_SMOKE=1: tiny, < 60 s)
import { mkdirSync, writeFileSync } from 'node:fs';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { linePlot, writeSvg } from '@astro/core/plot';
import {
  AstroconformerBaseline, LightCurveGPT, concatWindows, embedWindows, estimateNumax, fitPowerLaw, fitPowerLawWithFloor, fitRidge, nextPatchLoss,
  normalizePpm, patchify, predictRidge, pretrain, readTextLightCurve, sigmaClip, simulateStar, type PatchWindows,
} from '@astro/lightcurve-gpt';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const info = await ready();
console.log(`backend: ${info.backend}${smoke ? ' (smoke run)' : ''}`);
const out = 'out/lightcurve-gpt';
mkdirSync(out, { recursive: true });

const P = 16; // cadences per patch (7.8 h at 29.4 min)
const T = 16; // patches per window (5.2 d)
const nTrain = smoke ? 24 : 96;
const nTest = smoke ? 12 : 40;
const windowsPerStar = 4;
const star = (i: number, seed: number) => {
  const logg = 2.4 + 0.9 * ((i * 0.618034) % 1);
  return { logg, lc: simulateStar({ logg, teffK: 4800, durationDays: 25, seed }) };
};
const train = Array.from({ length: nTrain }, (_, i) => star(i, 1000 + i));
const test = Array.from({ length: nTest }, (_, i) => star(i + 0.5, 5000 + i));
const win = (s: { lc: Parameters<typeof patchify>[0] }) => patchify(s.lc, { patchSize: P, numPatches: T, maxWindows: windowsPerStar });
const trainW = train.map(win);
const testW = test.map(win);
const pre = concatWindows(trainW);
const held = concatWindows(testW);
console.log(`${nTrain} pre-training stars (${pre.windows} windows), ${nTest} test stars (${held.windows} windows)`);

// (a) Scaling: loss vs parameters at a fixed budget of optimiser steps.
const sizes = smoke
  ? [{ dim: 8, layers: 1 }, { dim: 16, layers: 1 }, { dim: 32, layers: 2 }]
  : [{ dim: 8, layers: 1 }, { dim: 16, layers: 2 }, { dim: 32, layers: 2 }, { dim: 64, layers: 2 }, { dim: 96, layers: 3 }, { dim: 144, layers: 4 }];
const steps = smoke ? 30 : 200;
const scaling: { params: number; loss: number; seconds: number }[] = [];
let best: LightCurveGPT | undefined;
const evalLoss = (m: LightCurveGPT, w: PatchWindows): number => {
  const idx = Array.from({ length: w.windows }, (_, i) => i);
  const l = nextPatchLoss(m, w, idx);
  const v = l.dataSync()[0]!;
  l.dispose();
  return v;
};
for (const s of sizes) {
  const m = new LightCurveGPT({ patchSize: P, maxPatches: T, dim: s.dim, layers: s.layers, heads: Math.max(1, s.dim / 16), seed: 1 });
  const t0 = performance.now();
  await pretrain(m, pre, { steps, batchSize: 16, lr: 2e-3, seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  const loss = evalLoss(m, held);
  scaling.push({ params: m.numParameters(), loss, seconds });
  console.log(`dim ${s.dim} × ${s.layers} layers: ${m.numParameters()} parameters, held-out loss ${loss.toFixed(4)} (${seconds.toFixed(1)} s)`);
  if (best) best.dispose();
  best = m;
}
// Fits: L = a·N^−α (straight line in log–log) and L = L∞ + a·N^−α (irreducible loss).
const N = scaling.map((r) => r.params);
const Ls = scaling.map((r) => r.loss);
const pure = fitPowerLaw(N, Ls);
const floor = fitPowerLawWithFloor(N, Ls);
const alpha = pure.alpha;
console.log(`power law: L = ${pure.a.toFixed(3)}·N^−${pure.alpha.toFixed(4)} (rms log residual ${pure.rmsLogResidual.toFixed(4)}) over ${N[0]}–${N[N.length - 1]} parameters`);
console.log(`with floor: L = ${floor.lInf.toFixed(4)} + ${floor.a.toFixed(3)}·N^−${floor.alpha.toFixed(3)} (rms log residual ${floor.rmsLogResidual.toFixed(4)})`);
const grid = Array.from({ length: 41 }, (_, i) => N[0]! * (N[N.length - 1]! / N[0]!) ** (i / 40));
await writeSvg(`${out}/scaling.svg`, await linePlot({
  title: `LightCurveGPT pre-training, ${steps} steps: L ∝ N^−${alpha.toFixed(3)}; L = ${floor.lInf.toFixed(3)} + a·N^−${floor.alpha.toFixed(2)}`,
  series: [
    { name: 'held-out loss', x: N, y: Ls },
    { name: 'a·N^−α', x: grid, y: grid.map((n) => pure.a * n ** -pure.alpha) },
    { name: 'L∞ + a·N^−α', x: grid, y: grid.map((n) => floor.lInf + floor.a * n ** -floor.alpha) },
  ],
  x: { title: 'parameters', log: true },
  y: { title: 'next-patch Huber loss', log: true },
  points: true,
}));

// (b) Sample efficiency: ridge head on the largest model's frozen embeddings vs the supervised baseline.
const model = best!;
const d = model.config.dim;
const starEmbedding = async (w: PatchWindows): Promise<Float64Array> => {
  const e = await embedWindows(model, w);
  const m = new Float64Array(d);
  for (let i = 0; i < w.windows; i++) for (let j = 0; j < d; j++) m[j]! += e[i * d + j]! / w.windows;
  return m;
};
const embTrain: Float64Array[] = [];
for (const w of trainW) embTrain.push(await starEmbedding(w));
const embTest: Float64Array[] = [];
for (const w of testW) embTest.push(await starEmbedding(w));
const yTest = test.map((s) => s.logg);
const rmse = (p: ArrayLike<number>) => Math.sqrt(yTest.reduce((a, y, i) => a + (p[i]! - y) ** 2, 0) / yTest.length);
const ns = smoke ? [8, 24] : [8, 16, 32, 96];
const eff: { n: number; pretrained: number; baseline: number }[] = [];
for (const n of ns) {
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) x.set(embTrain[i]!, i * d);
  const head = fitRidge(x, train.slice(0, n).map((s) => s.logg), d, 1);
  const xt = new Float64Array(nTest * d);
  embTest.forEach((e, i) => xt.set(e, i * d));
  const pretrained = rmse(predictRidge(head, xt));
  const base = new AstroconformerBaseline({ length: P * T, dim: 32, stride: 8, layers: 2, heads: 2, seed: 3 });
  const labelled = concatWindows(trainW.slice(0, n));
  const labels = train.slice(0, n).flatMap((s, i) => Array(trainW[i]!.windows).fill(s.logg) as number[]);
  await base.fit(labelled, labels, { steps: smoke ? 30 : 200, batchSize: 16, lr: 1e-3, seed: 2 });
  const pw = await base.predict(held);
  let k = 0;
  const perStar = testW.map((w) => {
    let s = 0;
    for (let i = 0; i < w.windows; i++) s += pw[k++]!;
    return s / w.windows;
  });
  const baseline = rmse(perStar);
  base.dispose();
  eff.push({ n, pretrained, baseline });
  console.log(`${n} labelled stars: log g RMSE pretrained+ridge ${pretrained.toFixed(3)} dex, supervised baseline ${baseline.toFixed(3)} dex`);
}
// Sample-efficiency factor: labelled stars the baseline needs to match the pretrained RMSE at the smallest n
// (log-linear interpolation of the baseline curve; '>' when it never gets there).
const target = eff[0]!.pretrained;
let factor: string = `> ${(eff[eff.length - 1]!.n / eff[0]!.n).toFixed(0)}`;
if (eff[0]!.baseline <= target) factor = '≤ 1';
else for (let i = 1; i < eff.length; i++) {
  const a = eff[i - 1]!;
  const b = eff[i]!;
  if (a.baseline <= target) { factor = (a.n / eff[0]!.n).toFixed(2); break; }
  if (b.baseline <= target) {
    const f = (Math.log(a.baseline) - Math.log(target)) / (Math.log(a.baseline) - Math.log(b.baseline));
    factor = (Math.exp(Math.log(a.n) + f * (Math.log(b.n) - Math.log(a.n))) / eff[0]!.n).toFixed(2);
    break;
  }
}
console.log(`sample efficiency: the baseline needs ${factor}× the labelled stars to reach the pretrained RMSE at n = ${eff[0]!.n}`);
await writeSvg(`${out}/sample-efficiency.svg`, await linePlot({
  title: 'log g from light curves: pretrained embeddings + ridge vs supervised baseline',
  series: [
    { name: 'LightCurveGPT + ridge', x: eff.map((r) => r.n), y: eff.map((r) => r.pretrained) },
    { name: 'Astroconformer-style baseline', x: eff.map((r) => r.n), y: eff.map((r) => r.baseline) },
  ],
  x: { title: 'labelled stars', log: true },
  y: { title: 'log g RMSE [dex]', log: true },
  points: true,
}));

// (c) Real Kepler stars: classical ν_max vs the SYD catalogue.
const real: { kic: string; numax: number; err: number; syd: number }[] = [];
for (const [kic, syd] of smoke ? [['2309595', 643.208]] as const : [['1435467', 1382.311], ['2309595', 643.208]] as const) {
  const lc = normalizePpm(sigmaClip(await readTextLightCurve(dataPath('lightcurves', 'kepler-pysyd', `${kic}_LC.txt`))).lightCurve);
  const r = estimateNumax(lc);
  real.push({ kic, numax: r.numaxMicroHz, err: r.numaxErrMicroHz, syd });
  console.log(`KIC ${kic}: ν_max = ${r.numaxMicroHz.toFixed(1)} ± ${r.numaxErrMicroHz.toFixed(1)} μHz (SYD ${syd})`);
}
writeFileSync(`${out}/results.json`, JSON.stringify({ backend: info.backend, smoke, steps, scaling, alpha, powerLaw: pure, powerLawWithFloor: floor, sampleEfficiency: eff, factor, real }, null, 1));
model.dispose();
