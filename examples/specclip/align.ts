// SpecCLIP end to end on the embedded paired simulator: MIST labels → APOGEE-like Payne spectra
// (high resolution) and a broadened 110-pixel view (low resolution), each with noise over a range
// of S/N. Pre-trains the masked-modelling transformer and the XP-style autoencoder, aligns them
// with the symmetric InfoNCE loss (logit scale 15.5), measures cross-instrument retrieval on
// held-out pairs, fits label heads with uncertainties on the embeddings, scores anomalies, and
// embeds one real LAMOST spectrum and real Gaia XP rows through the readers.
// Writes examples/out/specclip/align.json and cross-prediction.svg (a held-out star's high-resolution
// spectrum beside its prediction from the low-resolution embedding).
//
//   npx tsx specclip/align.ts      (from examples/; ASTRO_SMOKE=1 runs a tiny version in < 60 s)
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ready, tf } from '@astro/core';
import { dataPath } from '@astro/core/data';
import {
  loadPayne,
  loadMist,
  simulatePairs,
  patchLayout,
  SpectrumTransformer,
  XpAutoencoder,
  pretrainMasked,
  pretrainAutoencoder,
  SpecClip,
  fitClip,
  retrievalAccuracy,
  EmbeddingRegressor,
  fitRegressor,
  robustScatter,
  kthNeighbourScore,
  readLamostLowRes,
  readXpContinuous,
  xpInput,
  zscore,
  CrossDecoder,
  fitCrossDecoder,
} from '@astro/specclip';
import { linePlot, writeSvg } from '@astro/core/plot';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const info = await ready({ backend: 'wasm' });
const n = smoke ? 200 : 800;
const nTrain = smoke ? 150 : 640;
const stride = smoke ? 48 : 24;
const t0 = performance.now();
const pairs = simulatePairs(await loadPayne(), await loadMist(), { n, seed: 42, stride });
const P = pairs.highPixels;
const F = pairs.lowPixels;
console.log(`backend ${info.backend}; ${n} simulated pairs (${P} high-res pixels, ${F} low-res pixels)`);

// Standardise the low-resolution features with the training rows' statistics.
const low = new Float32Array(pairs.low.length);
for (let j = 0; j < F; j++) {
  let m = 0;
  let v = 0;
  for (let i = 0; i < nTrain; i++) m += pairs.low[i * F + j]! / nTrain;
  for (let i = 0; i < nTrain; i++) v += (pairs.low[i * F + j]! - m) ** 2 / nTrain;
  for (let i = 0; i < n; i++) low[i * F + j] = (pairs.low[i * F + j]! - m) / Math.sqrt(v);
}
const trainHigh = pairs.high.subarray(0, nTrain * P);
const trainLow = low.subarray(0, nTrain * F);

const high = new SpectrumTransformer({ layout: patchLayout(P), dim: 32, depth: 2, heads: 4, seed: 1 });
const ae = new XpAutoencoder({ hidden: [128], latent: 16, seed: 2 });
const mm = await pretrainMasked(high, trainHigh, { epochs: smoke ? 2 : 4, batchSize: 32, lr: 3e-3, seed: 3 });
const ael = await pretrainAutoencoder(ae, trainLow, { epochs: smoke ? 10 : 40, batchSize: 32, lr: 3e-3, seed: 4 });
console.log(
  `pre-training: masked-modelling loss ${mm[0]!.toFixed(3)} → ${mm.at(-1)!.toFixed(3)}; autoencoder MSE ${ael[0]!.toFixed(3)} → ${ael.at(-1)!.toFixed(3)}`,
);

const clip = new SpecClip(high, ae, { embedDim: 32, seed: 5 });
const cl = await fitClip(clip, trainHigh, trainLow, { epochs: smoke ? 4 : 15, batchSize: 32, lr: 2e-3, seed: 6 });
console.log(`CLIP loss ${cl[0]!.toFixed(3)} → ${cl.at(-1)!.toFixed(3)} (logit scale ${clip.logitScale()})`);

const embedHigh = (a: number, b: number) => clip.embedHigh(pairs.high.subarray(a * P, b * P));
const embedLow = (a: number, b: number) => tf.tidy(() => clip.embedLow(tf.tensor2d(low.subarray(a * F, b * F), [b - a, F])));
const zhTest = embedHigh(nTrain, n);
const zhTestValues = await zhTest.data();
const zlTest = embedLow(nTrain, n);
const k = 10;
const lowToHigh = await retrievalAccuracy(zlTest, zhTest, k);
const highToLow = await retrievalAccuracy(zhTest, zlTest, k);
console.log(
  `held-out retrieval (${n - nTrain} pairs; chance top-1 ${(1 / (n - nTrain)).toFixed(4)}, top-${k} ${(k / (n - nTrain)).toFixed(3)}):`,
);
console.log(`  low → high: top-1 ${lowToHigh.top1.toFixed(3)}, top-${k} ${lowToHigh.topK.toFixed(3)}`);
console.log(`  high → low: top-1 ${highToLow.top1.toFixed(3)}, top-${k} ${highToLow.topK.toFixed(3)}`);

// Label heads on the low-resolution embeddings (Teff, log g, [Fe/H]) vs the same head on the raw
// standardised low-resolution pixels.
const zlTrain = embedLow(0, nTrain);
const labelsTrain = pairs.labels.subarray(0, nTrain * 3);
const labelsTest = pairs.labels.subarray(nTrain * 3);
async function head(xTrain: Float32Array, xTest: Float32Array, d: number) {
  const reg = new EmbeddingRegressor({ inputs: d, outputs: 3, hidden: [64, 64], seed: 7 });
  await fitRegressor(reg, xTrain, labelsTrain, { epochs: smoke ? 10 : 150, batchSize: 64, lr: 3e-3, seed: 8 });
  const p = await reg.predict(xTest);
  reg.dispose();
  return ['teff', 'logg', 'feh'].map((name, j) => {
    const r = Array.from({ length: n - nTrain }, (_, i) => p.mean[i * 3 + j]! - labelsTest[i * 3 + j]!);
    const sig = Float64Array.from({ length: n - nTrain }, (_, i) => p.std[i * 3 + j]!).sort();
    return { label: name, scatter: robustScatter(r), medianPredictedSigma: sig[sig.length >> 1]! };
  });
}
const fromEmbedding = await head(zlTrain.dataSync() as Float32Array, zlTest.dataSync() as Float32Array, 32);
const fromPixels = await head(trainLow.slice(), low.slice(nTrain * F), F);
for (let j = 0; j < 3; j++) {
  console.log(
    `  ${fromEmbedding[j]!.label}: robust scatter from CLIP embedding ${fromEmbedding[j]!.scatter.toFixed(3)}, from raw low-res pixels ${fromPixels[j]!.scatter.toFixed(3)} (median predicted σ ${fromEmbedding[j]!.medianPredictedSigma.toFixed(3)})`,
  );
}

// Cross-prediction: low-resolution embedding → noise-free high-resolution spectrum.
const dec = new CrossDecoder({ embedDim: 32, pixels: P, hidden: [128, 128], seed: 9 });
await fitCrossDecoder(dec, (await zlTrain.data()) as Float32Array, pairs.highClean.slice(0, nTrain * P), {
  epochs: smoke ? 10 : 150,
  batchSize: 64,
  lr: 2e-3,
  seed: 10,
});
const pred = dec.forward(zlTest);
const predFlux = pred.dataSync() as Float32Array;
let se = 0;
let seMean = 0;
for (let i = 0; i < n - nTrain; i++) {
  for (let j = 0; j < P; j++) {
    const truth = pairs.highClean[(nTrain + i) * P + j]!;
    se += (predFlux[i * P + j]! - truth) ** 2;
    seMean += (dec.meanFlux[j]! - truth) ** 2;
  }
}
const crossRms = Math.sqrt(se / ((n - nTrain) * P));
const meanRms = Math.sqrt(seMean / ((n - nTrain) * P));
console.log(
  `cross-prediction low-res embedding → high-res flux: RMS ${crossRms.toFixed(4)} (mean-spectrum baseline ${meanRms.toFixed(4)})`,
);
const wl = Array.from(pairs.highWavelengthAngstrom);
mkdirSync(new URL('../out/specclip/', import.meta.url), { recursive: true });
await writeSvg(
  new URL('../out/specclip/cross-prediction.svg', import.meta.url).pathname,
  await linePlot({
    title: `held-out star: Teff ${pairs.labels[nTrain * 3]!.toFixed(0)} K, log g ${pairs.labels[nTrain * 3 + 1]!.toFixed(2)}, [Fe/H] ${pairs.labels[nTrain * 3 + 2]!.toFixed(2)}`,
    series: [
      { name: 'observed (noisy)', x: wl, y: Array.from(pairs.high.subarray(nTrain * P, (nTrain + 1) * P)) },
      { name: 'predicted from low-res embedding', x: wl, y: Array.from(predFlux.subarray(0, P)) },
    ],
    x: { title: 'wavelength (Å)' },
    y: { title: 'normalised flux' },
  }),
);
pred.dispose();
dec.dispose();

// Anomaly score of the held-out stars (cosine distance to the 5th neighbour among the training set).
const zhTrain = embedHigh(0, nTrain);
const anomaly = await kthNeighbourScore(zhTest, zhTrain, 5);
const sorted = Float32Array.from(anomaly).sort();

// Real data through the readers: one LAMOST spectrum and Gaia XP rows.
const lamost = await readLamostLowRes(dataPath('spectra', 'lamost-kic8098300', 'spec-57287-KP193637N444141V03_sp10-161.fits.gz'));
const lz = zscore(lamost.flux, lamost.flux.length);
const xp = (await readXpContinuous(dataPath('spectra', 'gaia-xp', 'XP_CONTINUOUS_RAW.csv'))).map(xpInput);
console.log(
  `real LAMOST OBSID ${lamost.obsid}: ${lamost.flux.length} pixels, ${lamost.masked} masked, ln σ = ${lz.logStd[0]!.toFixed(3)}; ${xp.length} Gaia XP sources → 110-coefficient inputs`,
);

const seconds = (performance.now() - t0) / 1000;
const out = {
  smoke,
  backend: info.backend,
  pairs: n,
  heldOut: n - nTrain,
  highPixels: P,
  lowPixels: F,
  seconds,
  pretrain: { maskedModelling: mm, autoencoder: ael },
  clipLoss: cl,
  retrieval: { lowToHigh: { top1: lowToHigh.top1, top10: lowToHigh.topK }, highToLow: { top1: highToLow.top1, top10: highToLow.topK } },
  labels: { fromEmbedding, fromPixels },
  crossPrediction: { rms: crossRms, meanSpectrumRms: meanRms },
  anomaly: { median: sorted[sorted.length >> 1], p95: sorted[Math.floor(0.95 * sorted.length)] },
};
writeFileSync(new URL('../out/specclip/align.json', import.meta.url), JSON.stringify(out, null, 1));
console.log(`done in ${seconds.toFixed(0)} s → examples/out/specclip/align.json`);
// Save the aligned model (config.json + model.safetensors, PyTorch-style names) and load it back.
const modelDir = fileURLToPath(new URL('../out/specclip/clip-model', import.meta.url));
await clip.save(modelDir);
const reloaded = await SpecClip.load(modelDir); // checks kind @astro/specclip/SpecClip and schemaVersion
const zAgain = reloaded.embedHigh(pairs.high.subarray(nTrain * P, n * P));
const same = (await zAgain.data()).every((v, i) => v === zhTestValues[i]);
console.log(`saved to examples/out/specclip/clip-model and reloaded: embeddings ${same ? 'identical' : 'DIFFER'}`);
if (!same) throw new Error('reloaded SpecClip gives different embeddings');
tf.dispose([zhTest, zlTest, zlTrain, zhTrain, zAgain]);
reloaded.dispose();
clip.dispose();
