// ν_max from LightCurveGPT embeddings on real Kepler short-cadence stars.
//
// A GPT (rotary positions) is pre-trained on simulated 1-minute Kepler light curves of
// solar-like oscillators with ν_max 500–2000 μHz; a ridge head on its frozen window
// embeddings learns ln ν_max from the simulated labels. It is then applied to the real stars
// KIC 1435467 and KIC 2309595 (pySYD), next to the classical power-spectrum estimator and the
// SYD catalogue. The head reads mean- and standard-deviation-pooled hidden states. Writes examples/out/lightcurve-gpt/numax-head.{svg,json}.
//
//   npx tsx lightcurve-gpt/numax-head.ts      (from examples/; ASTRO_SMOKE=1: tiny, < 60 s)
import { mkdirSync, writeFileSync } from 'node:fs';
import { ready, Rng } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { scatterPlot, writeSvg } from '@astro/core/plot';
import {
  LightCurveGPT,
  concatWindows,
  estimateNumax,
  fitNumaxHead,
  highPassMedian,
  loggFromNumax,
  normalizePpm,
  patchify,
  predictNumax,
  pretrain,
  readTextLightCurve,
  sigmaClip,
  simulateStar,
  type LightCurve,
} from '@astro/lightcurve-gpt';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const info = await ready();
console.log(`backend: ${info.backend}${smoke ? ' (smoke run)' : ''}`);
const out = 'out/lightcurve-gpt';
mkdirSync(out, { recursive: true });

const P = 16; // cadences per patch (15.7 min at 58.85 s)
const T = 16; // patches per window (4.2 h)
const nTrain = smoke ? 12 : 96;
const nTest = smoke ? 4 : 32;
const windowsPerStar = smoke ? 4 : 8;
// The same preprocessing for simulated and real stars: 0.5-day running-median high-pass.
const prep = (lc: LightCurve) => highPassMedian(lc, 0.5);
const rng = new Rng(42).fork('stars');
const sim = () => {
  const numax = 500 * 4 ** rng.uniform(); // log-uniform 500–2000 μHz
  const teffK = 5500 + 1000 * rng.uniform();
  const whiteNoisePpm = 60 * 5 ** rng.uniform(); // 60–300 ppm per 1-min cadence, as these stars have
  const s = simulateStar({
    logg: loggFromNumax(numax, teffK),
    teffK,
    cadence: 'short',
    durationDays: smoke ? 1.2 : 2.5,
    whiteNoisePpm,
    seed: rng.nextUint32(),
  });
  return { star: s, windows: patchify(prep(s), { patchSize: P, numPatches: T, maxWindows: windowsPerStar }), numaxMicroHz: s.numaxMicroHz };
};
const train = Array.from({ length: nTrain }, sim);
const test = Array.from({ length: nTest }, sim);
const pre = concatWindows(train.map((s) => s.windows));
console.log(`${nTrain} simulated training stars (${pre.windows} windows), ${nTest} held-out stars`);

const model = new LightCurveGPT({
  patchSize: P,
  maxPatches: T,
  dim: smoke ? 16 : 48,
  layers: 2,
  heads: smoke ? 2 : 4,
  positions: 'rotary',
  seed: 1,
});
const t0 = performance.now();
const steps = smoke ? 15 : 400;
const losses = await pretrain(model, pre, { steps, batchSize: 16, lr: 2e-3, seed: 1 });
console.log(
  `pre-trained ${model.numParameters()} parameters for ${steps} steps in ${((performance.now() - t0) / 1000).toFixed(1)} s (loss ${losses[0]!.toFixed(3)} → ${losses[losses.length - 1]!.toFixed(3)})`,
);
const head = await fitNumaxHead(model, train, { alpha: 1 });

// Held-out simulated stars: RMS of ln ν_max (≈ fractional error) vs predicting the training mean.
const lnMean = train.reduce((a, s) => a + Math.log(s.numaxMicroHz), 0) / nTrain;
let se = 0;
let se0 = 0;
const truth: number[] = [];
const pred: number[] = [];
for (const s of test) {
  const r = await predictNumax(model, head, s.windows);
  truth.push(s.numaxMicroHz);
  pred.push(r.numaxMicroHz);
  se += (Math.log(r.numaxMicroHz) - Math.log(s.numaxMicroHz)) ** 2 / nTest;
  se0 += (lnMean - Math.log(s.numaxMicroHz)) ** 2 / nTest;
}
const rmsLn = Math.sqrt(se);
const rmsLn0 = Math.sqrt(se0);
console.log(`held-out simulated stars: RMS ln ν_max ${rmsLn.toFixed(3)} (predict-the-mean ${rmsLn0.toFixed(3)})`);

// Real Kepler stars: the model's estimate next to the classical estimator and the SYD catalogue.
const real: {
  kic: string;
  syd: number;
  model: number;
  modelErr: number;
  extrapolated: boolean;
  windows: number;
  classical: number;
  classicalErr: number;
}[] = [];
for (const [kic, syd] of smoke
  ? ([['2309595', 643.208]] as const)
  : ([
      ['1435467', 1382.311],
      ['2309595', 643.208],
    ] as const)) {
  const lc = normalizePpm(sigmaClip(await readTextLightCurve(dataPath('lightcurves', 'kepler-pysyd', `${kic}_LC.txt`))).lightCurve);
  const w = patchify(prep(lc), { patchSize: P, numPatches: T, maxWindows: smoke ? 8 : 96 });
  const m = await predictNumax(model, head, w);
  const r = estimateNumax(lc);
  const c = r.detected ? r : { numaxMicroHz: NaN, numaxErrMicroHz: NaN };
  real.push({
    kic,
    syd,
    model: m.numaxMicroHz,
    modelErr: m.numaxErrMicroHz,
    extrapolated: m.extrapolated,
    windows: m.windows,
    classical: c.numaxMicroHz,
    classicalErr: c.numaxErrMicroHz,
  });
  console.log(
    `KIC ${kic}: model ${m.numaxMicroHz.toFixed(0)} ± ${m.numaxErrMicroHz.toFixed(0)} μHz (${m.windows} windows${m.extrapolated ? ', extrapolating' : ''}), classical ${c.numaxMicroHz.toFixed(1)} ± ${c.numaxErrMicroHz.toFixed(1)} μHz, SYD ${syd}`,
  );
}

await writeSvg(
  `${out}/numax-head.svg`,
  await scatterPlot({
    title: `ν_max from LightCurveGPT embeddings (held-out simulated stars; RMS ln ν_max ${rmsLn.toFixed(2)})`,
    x: truth,
    y: pred,
    xAxis: { title: 'true ν_max [μHz]', log: true },
    yAxis: { title: 'model ν_max [μHz]', log: true },
    identity: true,
  }),
);
writeFileSync(
  `${out}/numax-head.json`,
  JSON.stringify(
    { backend: info.backend, smoke, parameters: model.numParameters(), steps, rmsLn, rmsLnPredictMean: rmsLn0, real },
    null,
    1,
  ),
);
model.dispose();
