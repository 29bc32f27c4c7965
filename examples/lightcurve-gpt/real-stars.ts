// LightCurveGPT on real stars (issue 12, part 2).
//
// (a) Pre-training on a mix of real windows (every real star in the shared data except the
//     held-out ones: tens of thousands of overlapping windows) and simulated stars, against the
//     same model pre-trained on simulated stars only; held-out next-patch loss on real windows of
//     stars neither model saw (star-level split: the four labelled stars + two drawn at random).
// (b) ν_max / log g heads, leave-one-star-out on the four real stars with catalogue ν_max:
//     ridge on the frozen mix-pretrained embeddings and the Astroconformer-style supervised
//     baseline, both trained on labelled simulated stars + the other three real stars, next to
//     the classical estimator (estimateNumax, no training).
// (c) Sample efficiency: log g of held-out simulated red giants from embeddings + ridge (α by
//     cross-validation) vs the supervised baseline at 8 training-set sizes × 3 seeds.
// Writes examples/out/lightcurve-gpt/real-stars.json and sample-efficiency.svg.
//
//   npx tsx lightcurve-gpt/real-stars.ts      (from examples/; ASTRO_SMOKE=1: tiny, about a minute)
//   STAGES=pretrain,heads,efficiency (default all; later stages reload the saved pre-trained model)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ready, Rng } from '@astro/core';
import { linePlot, writeSvg } from '@astro/core/plot';
import {
  AstroconformerBaseline,
  LightCurveGPT,
  concatWindows,
  estimateNumax,
  evaluateNextPatchLoss,
  fitNumaxHead,
  fitRidge,
  fitRidgeCV,
  loggFromNumax,
  poolWindowStats,
  predictNumax,
  predictRidge,
  type PatchWindows,
} from '@astro/lightcurve-gpt';
import {
  PATCH,
  PATCHES,
  loadRealStars,
  scalingLogg,
  simulatedPopulation,
  starWindows,
  type RealStar,
  type SimStar,
} from './real-corpus.js';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const stages = new Set((process.env['STAGES'] ?? 'pretrain,heads,efficiency').split(','));
const info = await ready();
console.log(`backend: ${info.backend}${smoke ? ' (smoke run)' : ''}`);
const out = 'out/lightcurve-gpt';
mkdirSync(out, { recursive: true });
const resultsFile = `${out}/real-stars${smoke ? '-smoke' : ''}.json`;
// Each stage's results merge into the file (stages may run in separate processes).
const results: Record<string, unknown> = {};
const save = () => {
  const current: Record<string, unknown> = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : {};
  writeFileSync(resultsFile, JSON.stringify({ ...current, ...results, backend: info.backend, smoke }, null, 1));
};
const root = new Rng(2024);
const rng = root.fork('data');

// ---- Data: real stars, star-level split, simulated stars.
const real = await loadRealStars();
const labelled = real.filter((s) => s.numax);
const unlabelled = real.filter((s) => !s.numax && s.lc.flux.length > 4 * PATCH * PATCHES);
const extra: RealStar[] = [];
for (let k = 0; k < 2; k++) extra.push(...unlabelled.splice(rng.below(unlabelled.length), 1));
const heldOut = [...labelled, ...extra];
const trainReal = real.filter((s) => !heldOut.includes(s));
const realStride = smoke ? 512 : PATCH;
const realTrainW = concatWindows(trainReal.map((s) => starWindows(s.lc, realStride)));
// Held-out real windows: non-overlapping, at most 200 per star so long light curves do not dominate.
const realHeldW = concatWindows(heldOut.map((s) => starWindows(s.lc, PATCH * PATCHES, smoke ? 8 : 200)));
const nSim = smoke ? 16 : 240;
const sim = simulatedPopulation(nSim, root.fork('simulated'), smoke ? 256 : 64, smoke ? { durationScale: 0.5 } : {});
const simW = concatWindows(sim.map((s) => s.windows));
const simHeld = simulatedPopulation(smoke ? 6 : 40, root.fork('simulated-held-out'), PATCH * PATCHES, smoke ? { durationScale: 0.5 } : {});
const simHeldW = concatWindows(simHeld.map((s) => s.windows));
const mixW = concatWindows([realTrainW, simW]);
console.log(
  `real: ${trainReal.length} training stars (${realTrainW.windows} windows), held out ${heldOut.map((s) => s.kic).join(', ')} (${realHeldW.windows} windows)`,
);
console.log(`simulated: ${nSim} stars (${simW.windows} windows); mix ${mixW.windows} windows; ${simHeld.length} held-out simulated stars`);

const cfg = { patchSize: PATCH, maxPatches: PATCHES, dim: smoke ? 16 : 64, layers: 2, heads: smoke ? 2 : 4, seed: 1 };
const steps = smoke ? 10 : Number(process.env['STEPS'] ?? 400);
const batchSize = smoke ? 8 : 16;
const modelDir = `${out}/real-mix-model${smoke ? '-smoke' : ''}`;

// Zero prediction (each star's median) as the reference loss.
const zeroLoss = (w: PatchWindows): number => {
  let num = 0;
  let den = 0;
  const L = w.numPatches * w.patchSize;
  for (let k = 0; k < w.windows; k++) {
    for (let i = w.patchSize; i < L; i++) {
      const m = w.mask[k * L + i]!;
      const d = Math.abs(w.flux[k * L + i]!);
      num += m * (d <= 1 ? 0.5 * d * d : d - 0.5);
      den += m;
    }
  }
  return num / den;
};

if (stages.has('pretrain')) {
  const rows: Record<string, unknown>[] = [];
  for (const [name, data] of [
    ['mix', mixW],
    ['simulated only', simW],
  ] as const) {
    const m = new LightCurveGPT(cfg);
    const t0 = performance.now();
    await m.fit(data, {
      steps,
      batchSize,
      lr: 2e-3,
      seed: 1,
      onProgress: (p) => {
        if (p.phase === 'step' && p.globalStep % 100 === 0)
          console.log(`  ${name} step ${p.globalStep}: loss ${p.loss.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const row = {
      training: name,
      parameters: m.numParameters(),
      steps,
      batchSize,
      seconds,
      heldOutRealLoss: await evaluateNextPatchLoss(m, realHeldW),
      heldOutSimulatedLoss: await evaluateNextPatchLoss(m, simHeldW),
    };
    rows.push(row);
    console.log(
      `${name}: held-out real ${row.heldOutRealLoss.toFixed(4)}, held-out simulated ${row.heldOutSimulatedLoss.toFixed(4)} (${m.numParameters()} parameters, ${steps} steps × ${batchSize}, ${seconds.toFixed(0)} s)`,
    );
    if (name === 'mix') await m.save(modelDir);
    m.dispose();
  }
  results['pretrain'] = {
    heldOutStars: heldOut.map((s) => s.kic),
    trainingRealStars: trainReal.map((s) => s.kic),
    realTrainingWindows: realTrainW.windows,
    simulatedTrainingWindows: simW.windows,
    heldOutRealWindows: realHeldW.windows,
    zeroPredictionRealLoss: zeroLoss(realHeldW),
    zeroPredictionSimulatedLoss: zeroLoss(simHeldW),
    rows,
  };
  console.log(`zero prediction: held-out real ${zeroLoss(realHeldW).toFixed(4)}, simulated ${zeroLoss(simHeldW).toFixed(4)}`);
  save();
}

const model = stages.has('heads') || stages.has('efficiency') ? await LightCurveGPT.load(modelDir) : undefined;

// Per-star mean of per-window predictions.
const perStar = (p: ArrayLike<number>, parts: readonly PatchWindows[]): number[] => {
  let k = 0;
  return parts.map((w) => {
    let s = 0;
    for (let i = 0; i < w.windows; i++) s += p[k++]!;
    return s / w.windows;
  });
};
const baselineCfg = { length: PATCH * PATCHES, dim: smoke ? 16 : 32, stride: 8, layers: 2, heads: 2 };
const baselineSteps = smoke ? 10 : 300;

if (stages.has('heads') && model) {
  // Labelled simulated stars (their true ν_max, log g) with 8 windows each; real labelled stars with 32.
  const simLab = sim.map((s) => ({ s, w: starWindows(s.star, 64, 8) }));
  const realLab = labelled.map((s) => ({ s, w: starWindows(s.lc, PATCH * 4, smoke ? 8 : 32), logg: scalingLogg(s)! }));
  const rows: Record<string, unknown>[] = [];
  for (const [i, test] of realLab.entries()) {
    const others = realLab.filter((_, j) => j !== i);
    const trainStars = [
      ...simLab.map((x) => ({ windows: x.w, numaxMicroHz: x.s.star.numaxMicroHz, logg: x.s.star.logg })),
      ...others.map((x) => ({ windows: x.w, numaxMicroHz: x.s.numax!.value, logg: x.logg.value })),
    ];
    // GPT + ridge: ln ν_max (fitNumaxHead) and log g (ridge on the same pooled features).
    const head = await fitNumaxHead(model, trainStars, { alpha: 1 });
    const g = await predictNumax(model, head, test.w);
    const feats: Float32Array[] = [];
    const ys: number[] = [];
    for (const t of trainStars) {
      feats.push(await poolWindowStats(model, t.windows));
      for (let k = 0; k < t.windows.windows; k++) ys.push(t.logg);
    }
    const X = new Float32Array(feats.reduce((a, f) => a + f.length, 0));
    let o = 0;
    for (const f of feats) {
      X.set(f, o);
      o += f.length;
    }
    const loggHead = fitRidge(X, ys, 2 * model.config.dim, 1);
    const gLogg = perStar(predictRidge(loggHead, await poolWindowStats(model, test.w)), [test.w])[0]!;
    // Supervised baseline on the same windows and labels (ln ν_max).
    const fold = root.fork('heads').fork(test.s.kic);
    const base = new AstroconformerBaseline({ ...baselineCfg, seed: fold.fork('baseline').nextUint32() });
    const trainW = concatWindows(trainStars.map((t) => t.windows));
    const lab = trainStars.flatMap((t) => Array<number>(t.windows.windows).fill(Math.log(t.numaxMicroHz)));
    await base.fit(trainW, lab, { steps: baselineSteps, batchSize: 32, lr: 1e-3, seed: fold.fork('order').nextUint32() });
    const bLn = perStar(await base.predict(test.w), [test.w])[0]!;
    base.dispose();
    // Classical estimator on the whole light curve (no training).
    const r = estimateNumax(test.s.lc);
    if (!r.detected) console.log(`KIC ${test.s.kic}: classical estimator: no detection (${r.reason})`);
    const c = r.detected ? r : { numaxMicroHz: NaN, numaxErrMicroHz: NaN };
    const teff = test.s.teff?.value ?? 5777;
    const row = {
      kic: test.s.kic,
      catalogue: test.s.numax,
      loggScaling: test.logg,
      gptNumax: g.numaxMicroHz,
      gptNumaxErr: g.numaxErrMicroHz,
      gptLogg: gLogg,
      baselineNumax: Math.exp(bLn),
      baselineLogg: loggFromNumax(Math.exp(bLn), teff),
      classicalNumax: c.numaxMicroHz,
      classicalNumaxErr: c.numaxErrMicroHz,
      classicalLogg: loggFromNumax(c.numaxMicroHz, teff),
    };
    rows.push(row);
    const pct = (v: number) => `${(100 * (v / test.s.numax!.value - 1)).toFixed(0)} %`;
    console.log(
      `KIC ${row.kic}: catalogue ${test.s.numax!.value} μHz; GPT+ridge ${g.numaxMicroHz.toFixed(1)} (${pct(g.numaxMicroHz)}), baseline ${row.baselineNumax.toFixed(1)} (${pct(row.baselineNumax)}), classical ${c.numaxMicroHz.toFixed(1)} (${pct(c.numaxMicroHz)}); log g ${test.logg.value.toFixed(3)}: GPT ${gLogg.toFixed(3)}, baseline ${row.baselineLogg.toFixed(3)}, classical ${row.classicalLogg.toFixed(3)}`,
    );
  }
  const rmsLn = (k: 'gptNumax' | 'baselineNumax' | 'classicalNumax') =>
    Math.sqrt(rows.reduce((a, r) => a + Math.log((r[k] as number) / (r['catalogue'] as { value: number }).value) ** 2, 0) / rows.length);
  const rmsG = (k: 'gptLogg' | 'baselineLogg' | 'classicalLogg') =>
    Math.sqrt(rows.reduce((a, r) => a + ((r[k] as number) - (r['loggScaling'] as { value: number }).value) ** 2, 0) / rows.length);
  const summary = {
    rmsLnNumax: { gpt: rmsLn('gptNumax'), baseline: rmsLn('baselineNumax'), classical: rmsLn('classicalNumax') },
    rmsLoggDex: { gpt: rmsG('gptLogg'), baseline: rmsG('baselineLogg'), classical: rmsG('classicalLogg') },
  };
  console.log(
    `leave-one-star-out RMS ln ν_max: GPT+ridge ${summary.rmsLnNumax.gpt.toFixed(3)}, baseline ${summary.rmsLnNumax.baseline.toFixed(3)}, classical ${summary.rmsLnNumax.classical.toFixed(3)}`,
  );
  console.log(
    `leave-one-star-out RMS log g: GPT+ridge ${summary.rmsLoggDex.gpt.toFixed(3)}, baseline ${summary.rmsLoggDex.baseline.toFixed(3)}, classical ${summary.rmsLoggDex.classical.toFixed(3)} dex`,
  );
  results['heads'] = { simulatedTrainingStars: simLab.length, baseline: { ...baselineCfg, steps: baselineSteps }, rows, summary };
  save();
}

// The 24 baseline runs of (c) are the costly part on a shared CPU: a smaller baseline (16 tokens of 16 cadences, width 16).
const effBaselineCfg = { length: PATCH * PATCHES, dim: 16, stride: 16, layers: 2, heads: 2 };
const effSteps = smoke ? 10 : Number(process.env['EFF_STEPS'] ?? 100);
if (stages.has('efficiency') && model) {
  // Simulated long-cadence red giants (log g 2.2–3.25), 4 non-overlapping windows each.
  const giants = (n: number, name: string): SimStar[] =>
    simulatedPopulation(2 * n, root.fork(name), PATCH * PATCHES, { maxWindows: 4, ...(smoke ? { durationScale: 0.5 } : {}) }).filter(
      (_, i) => i % 2 === 0,
    );
  const pool = giants(smoke ? 24 : 128, 'giants-pool');
  const test = giants(smoke ? 8 : 60, 'giants-test');
  const d = 2 * model.config.dim;
  const starFeat = async (w: PatchWindows): Promise<Float64Array> => {
    const e = await poolWindowStats(model, w);
    const m = new Float64Array(d);
    for (let i = 0; i < w.windows; i++) for (let j = 0; j < d; j++) m[j]! += e[i * d + j]! / w.windows;
    return m;
  };
  const poolF: Float64Array[] = [];
  for (const s of pool) poolF.push(await starFeat(s.windows));
  const testX = new Float64Array(test.length * d);
  for (const [i, s] of test.entries()) testX.set(await starFeat(s.windows), i * d);
  const testW = concatWindows(test.map((s) => s.windows));
  const yTest = test.map((s) => s.star.logg);
  const rmse = (p: ArrayLike<number>) => Math.sqrt(yTest.reduce((a, y, i) => a + (p[i]! - y) ** 2, 0) / yTest.length);
  const sizes = smoke ? [4, 8] : [4, 6, 8, 12, 16, 32, 64, 128];
  const seeds = smoke ? [1] : [1, 2, 3];
  const rows: { n: number; seed: number; gpt: number; baseline: number }[] = [];
  for (const n of sizes) {
    for (const seed of seeds) {
      const run = root.fork('efficiency').fork(String(n)).fork(String(seed));
      const idx = Array.from(run.fork('subset').permutation(pool.length).subarray(0, n));
      const x = new Float64Array(n * d);
      idx.forEach((k, i) => x.set(poolF[k]!, i * d));
      const gpt = rmse(
        predictRidge(
          fitRidgeCV(
            x,
            idx.map((k) => pool[k]!.star.logg),
            d,
          ),
          testX,
        ),
      );
      const base = new AstroconformerBaseline({ ...effBaselineCfg, seed: run.fork('baseline').nextUint32() });
      const trainW = concatWindows(idx.map((k) => pool[k]!.windows));
      await base.fit(
        trainW,
        idx.flatMap((k) => Array<number>(pool[k]!.windows.windows).fill(pool[k]!.star.logg)),
        { steps: effSteps, batchSize: 16, lr: 2e-3, seed: run.fork('order').nextUint32() },
      );
      const baseline = rmse(
        perStar(
          await base.predict(testW),
          test.map((s) => s.windows),
        ),
      );
      base.dispose();
      rows.push({ n, seed, gpt, baseline });
      console.log(`n = ${n}, seed ${seed}: log g RMSE GPT+ridge ${gpt.toFixed(3)}, baseline ${baseline.toFixed(3)} dex`);
    }
  }
  const stat = (n: number, k: 'gpt' | 'baseline') => {
    const v = rows.filter((r) => r.n === n).map((r) => r[k]);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return { mean: m, sd: v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0 };
  };
  const summary = sizes.map((n) => ({ n, gpt: stat(n, 'gpt'), baseline: stat(n, 'baseline') }));
  const yMean = yTest.reduce((a, b) => a + b, 0) / yTest.length;
  const sdTest = Math.sqrt(yTest.reduce((a, y) => a + (y - yMean) ** 2, 0) / yTest.length);
  // Factor: labelled stars the baseline needs to reach the GPT's mean RMSE at each n (log-log interpolation).
  const factors = summary.map((r) => {
    const b = summary.map((s) => s.baseline.mean);
    if (b[0]! <= r.gpt.mean) return { n: r.n, factor: summary[0]!.n / r.n, bound: '≤' };
    for (let i = 1; i < b.length; i++) {
      if (b[i]! <= r.gpt.mean) {
        const f = (Math.log(b[i - 1]!) - Math.log(r.gpt.mean)) / (Math.log(b[i - 1]!) - Math.log(b[i]!));
        return {
          n: r.n,
          factor: Math.exp(Math.log(summary[i - 1]!.n) + f * (Math.log(summary[i]!.n) - Math.log(summary[i - 1]!.n))) / r.n,
          bound: '=',
        };
      }
    }
    return { n: r.n, factor: summary[summary.length - 1]!.n / r.n, bound: '≥' };
  });
  results['efficiency'] = {
    poolStars: pool.length,
    testStars: test.length,
    testLoggSd: sdTest,
    baseline: { ...effBaselineCfg, steps: effSteps, lr: 2e-3 },
    ridge: 'alpha by 5-fold CV over 1e-2..1e4',
    rows,
    summary,
    factors,
  };
  save();
  await writeSvg(
    `${out}/sample-efficiency.svg`,
    await linePlot({
      title: `log g of held-out simulated red giants: mix-pretrained LightCurveGPT + ridge vs supervised baseline (mean of ${seeds.length} seeds)`,
      series: [
        { name: 'LightCurveGPT embeddings + ridge', x: sizes, y: summary.map((r) => r.gpt.mean) },
        { name: 'Astroconformer-style baseline', x: sizes, y: summary.map((r) => r.baseline.mean) },
        { name: 'predict the mean', x: sizes, y: sizes.map(() => sdTest) },
      ],
      x: { title: 'labelled training stars', log: true },
      y: { title: 'log g RMSE [dex]', log: true },
      points: true,
    }),
  );
  console.log(`sample efficiency: ${factors.map((f) => `n=${f.n}: ${f.bound} ${f.factor.toFixed(2)}×`).join(', ')}`);
}
model?.dispose();
