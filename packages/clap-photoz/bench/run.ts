// `pnpm bench` for @astro/clap-photoz: KNN stage (core topK) vs a brute-force float64 scan in the
// same run (`knn_speedup` = brute time ÷ topK time), and CLAP PDFs per second for the real SDSS
// validation galaxies replicated to `BENCH_N` (default 20000; the 1e5 takes minutes on 2
// shared cores: set BENCH_N=100000), the refit network's PDFs per second on the same galaxies
// (`refit.speedup_vs_knn`), template fitting on the validation set, and the image path (bench/images.ts). Writes
// bench/results/clap-photoz.json at the repository root.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { benchImages } from './images.js';
import { ClapPhotoz, colourFeatures, fitStandardizer, loadSdssFilters, loadSedTemplates, N_FEATURES, neighbours, readPhotometry, standardize, TemplateFitPhotoz, type Photometry } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const info = await ready();
const train = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'train.txt'));
const valid = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'valid.txt'));
const N = Number(process.env['BENCH_N'] ?? 20000);
const reps = Math.ceil(N / valid.n);
const big: Photometry = {
  n: valid.n * reps,
  mag: new Float64Array(valid.n * reps * 5).map((_, i) => valid.mag[i % (valid.n * 5)]!),
  magErr: new Float64Array(valid.n * reps * 5).map((_, i) => valid.magErr[i % (valid.n * 5)]!),
  rows: new Int32Array(valid.n * reps),
  dropped: new Int32Array(0),
};

// KNN stage: k = 80 neighbours of 1000 queries among 5000 in 5-D
const s = fitStandardizer(colourFeatures(train), N_FEATURES);
const q = standardize(colourFeatures(valid), s);
const c = standardize(colourFeatures(train), s);
const k = 80;
const time = async (f: () => Promise<unknown> | unknown): Promise<number> => {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    await f();
    best = Math.min(best, performance.now() - t);
  }
  return best / 1000;
};
const brute = (): Int32Array => {
  const out = new Int32Array(valid.n * k);
  const d = new Float64Array(train.n);
  const idx = Array.from({ length: train.n }, (_, i) => i);
  for (let i = 0; i < valid.n; i++) {
    for (let j = 0; j < train.n; j++) {
      let s2 = 0;
      for (let t = 0; t < N_FEATURES; t++) s2 += (q[i * N_FEATURES + t]! - c[j * N_FEATURES + t]!) ** 2;
      d[j] = s2;
    }
    idx.sort((a, b) => d[a]! - d[b]! || a - b);
    for (let r = 0; r < k; r++) out[i * k + r] = idx[r]!;
  }
  return out;
};
const tTop = await time(() => neighbours(q, c, N_FEATURES, k));
const tBrute = await time(brute);

// full CLAP prediction (adaptive KNN + recalibration) vs the refit network (no neighbour search)
const model = new ClapPhotoz({ realisations: 1, refit: { epochs: 5 } });
await model.fit(train, { epochs: 3, seed: 0 });
const t0 = performance.now();
await model.predict(big);
const tPred = (performance.now() - t0) / 1000;
const t1 = performance.now();
await model.predict(big, 'refit');
const tRefit = (performance.now() - t1) / 1000;
model.dispose();

// BPZ-like template fitting (16 types × 321 redshifts) on the 1000 validation galaxies
const bpz = new TemplateFitPhotoz(await loadSedTemplates(), await loadSdssFilters());
const tBpz = await time(() => bpz.predict(valid));

// the image path: cutout rendering, CNN encode/train vs PyTorch CPU in the same run
const images = await benchImages(Number(process.env['BENCH_IMAGES'] ?? 1024));

const result = {
  backend: info.backend,
  images,
  knn: { queries: valid.n, corpus: train.n, k, topK_s: tTop, brute_force_s: tBrute },
  knn_speedup: tBrute / tTop,
  pdfs_per_s: { [info.backend]: big.n / tPred },
  predict: { galaxies: big.n, seconds: tPred, realisations: 1 },
  refit: { seconds: tRefit, pdfs_per_s: big.n / tRefit, speedup_vs_knn: tPred / tRefit },
  template_fit: { galaxies: valid.n, seconds: tBpz, pdfs_per_s: valid.n / tBpz },
};
console.table({ knn_speedup: result.knn_speedup, pdfs_per_s: big.n / tPred, refit_pdfs_per_s: big.n / tRefit, refit_speedup: tPred / tRefit, template_pdfs_per_s: valid.n / tBpz, cnn_encode_vs_torch: images['encode_ratio_vs_torch'], cnn_train_vs_torch: images['train_ratio_vs_torch'] });
const out = join(here, '..', '..', '..', 'bench', 'results', 'clap-photoz.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2));
console.log(`wrote ${out}`);
