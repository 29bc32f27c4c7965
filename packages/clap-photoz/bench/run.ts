// `pnpm bench` for @astro/clap-photoz. The KNN stage (core topK, k = 80, 1000 queries among 5000 in 5-D) against two
// peers in the same run: a float64 JS scan with a bounded top-k selection (not a full sort), and scikit-learn's
// KNeighborsRegressor (bench/sklearn_knn.py, one job). Then CLAP PDFs per second for the real SDSS validation galaxies
// replicated to `BENCH_N` (default 20000; the 1e5: BENCH_N=100000), the refit network on the same galaxies,
// template fitting, and the image path (bench/images.ts, CNN vs PyTorch with 1 and all threads). Every time is the
// median of ≥ 3 runs after a warm-up (BENCH_RUNS, default 5); every ratio is ours / peer time (> 1: we are slower);
// a missing peer is reported as missing and the bench goes on. Writes bench/results/clap-photoz.json at the
// repository root, with machine, date and commit.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { encodeNpy } from '@astro/core/io';
import { benchImages } from './images.js';
import { compare, isMissing, pythonPeer, runInfo, timeIt, type Timing } from './timing.js';
import {
  ClapPhotoz,
  colourFeatures,
  fitStandardizer,
  loadSdssFilters,
  loadSedTemplates,
  N_FEATURES,
  neighbours,
  readPhotometry,
  standardize,
  TemplateFitPhotoz,
  type Photometry,
} from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const info = await ready();
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
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
/** Float64 scan keeping the k nearest in a bounded max-heap (O(n log k) per query), ties to the lower index. */
const jsTopK = (): Int32Array => {
  const out = new Int32Array(valid.n * k);
  const hd = new Float64Array(k);
  const hi = new Int32Array(k);
  const worse = (a: number, b: number): boolean => hd[a]! > hd[b]! || (hd[a] === hd[b] && hi[a]! > hi[b]!);
  for (let i = 0; i < valid.n; i++) {
    let size = 0;
    for (let j = 0; j < train.n; j++) {
      let d2 = 0;
      for (let t = 0; t < N_FEATURES; t++) d2 += (q[i * N_FEATURES + t]! - c[j * N_FEATURES + t]!) ** 2;
      if (size < k) {
        let x = size++;
        hd[x] = d2;
        hi[x] = j;
        while (x > 0) {
          const p = (x - 1) >> 1;
          if (!worse(x, p)) break;
          [hd[x], hd[p]] = [hd[p]!, hd[x]!];
          [hi[x], hi[p]] = [hi[p]!, hi[x]!];
          x = p;
        }
      } else if (d2 < hd[0]!) {
        hd[0] = d2;
        hi[0] = j;
        let x = 0;
        for (;;) {
          const l = 2 * x + 1;
          const r = l + 1;
          let m = x;
          if (l < k && worse(l, m)) m = l;
          if (r < k && worse(r, m)) m = r;
          if (m === x) break;
          [hd[x], hd[m]] = [hd[m]!, hd[x]!];
          [hi[x], hi[m]] = [hi[m]!, hi[x]!];
          x = m;
        }
      }
    }
    const order = Array.from({ length: k }, (_, r) => r).sort((a, b) => hd[a]! - hd[b]! || hi[a]! - hi[b]!);
    for (let r = 0; r < k; r++) out[i * k + r] = hi[order[r]!]!;
  }
  return out;
};
const tTop = await timeIt(() => neighbours(q, c, N_FEATURES, k), runs);
const tJs = await timeIt(jsTopK, runs);
const tmp = mkdtempSync(join(tmpdir(), 'clap-bench-'));
writeFileSync(join(tmp, 'q.npy'), encodeNpy({ shape: [valid.n, N_FEATURES], data: q, dtype: 'F32' }));
writeFileSync(join(tmp, 'c.npy'), encodeNpy({ shape: [train.n, N_FEATURES], data: c, dtype: 'F32' }));
interface SkKnn {
  sklearn: string;
  algorithm: string;
  fit_s: number;
  kneighbors_s: Timing;
  first_indices: number[][];
}
const sk = pythonPeer<SkKnn>(join(here, 'sklearn_knn.py'), [join(tmp, 'q.npy'), join(tmp, 'c.npy'), String(k), String(runs)], {
  OMP_NUM_THREADS: '1',
  OPENBLAS_NUM_THREADS: '1',
});
// the same neighbour sets (float32 inputs; order may differ only on ties)
const ours = (await neighbours(q, c, N_FEATURES, k)).indices;
const js = jsTopK();
const overlap = (a: ArrayLike<number>, b: ArrayLike<number>, rows: number): number => {
  let same = 0;
  for (let i = 0; i < rows; i++) {
    const set = new Set(Array.from({ length: k }, (_, r) => a[i * k + r]!));
    for (let r = 0; r < k; r++) if (set.has(b[i * k + r]!)) same++;
  }
  return same / (rows * k);
};
const skFlat = isMissing(sk) ? null : sk.first_indices.flat();

// full CLAP prediction (adaptive KNN + recalibration) vs the refit network (no neighbour search)
const model = new ClapPhotoz({ realisations: 1, refit: { epochs: 5 } });
await model.fit(train, { epochs: 3, seed: 0 });
const tPred = await timeIt(() => model.predict(big), 3);
const tRefit = await timeIt(() => model.predict(big, 'refit'), 3);
model.dispose();

// BPZ-like template fitting (16 types × 321 redshifts) on the 1000 validation galaxies
const bpz = new TemplateFitPhotoz(await loadSedTemplates(), await loadSdssFilters());
const tBpz = await timeIt(() => bpz.predict(valid), 3);

// the image path: cutout rendering, CNN encode/train vs PyTorch CPU in the same run
const images = await benchImages(Number(process.env['BENCH_IMAGES'] ?? 1024), runs);

const comparisons = [
  compare('KNN k=80, 1000 × 5000 in 5-D: core topK vs JS float64 top-k selection (s)', tTop.median, 'js_topk_heap', tJs.median),
  compare(
    'KNN k=80, 1000 × 5000 in 5-D: core topK vs scikit-learn KNeighborsRegressor.kneighbors (s)',
    tTop.median,
    'sklearn',
    isMissing(sk) ? null : sk.kneighbors_s.median,
  ),
  ...images.comparisons,
];
const result = {
  ...runInfo(),
  backend: info.backend,
  knn: {
    queries: valid.n,
    corpus: train.n,
    k,
    topK_s: tTop,
    js_topk_s: tJs,
    sklearn: sk,
    neighbour_overlap_js: overlap(ours, js, valid.n),
    neighbour_overlap_sklearn_first20: skFlat ? overlap(ours, skFlat, 20) : null,
  },
  knn_time_ratio_ours_over_js_topk: tTop.median / tJs.median,
  knn_time_ratio_ours_over_sklearn: isMissing(sk) ? null : tTop.median / sk.kneighbors_s.median,
  pdfs_per_s: { [info.backend]: big.n / tPred.median },
  predict: { galaxies: big.n, seconds: tPred, realisations: 1 },
  refit: { seconds: tRefit, pdfs_per_s: big.n / tRefit.median, time_ratio_refit_over_knn_path: tRefit.median / tPred.median },
  template_fit: { galaxies: valid.n, seconds: tBpz, pdfs_per_s: valid.n / tBpz.median },
  images: images.block,
  comparisons,
};
console.table(
  Object.fromEntries(comparisons.map((r) => [r.name, { ours_s: r.ours, peer: r.peer, peer_s: r.peerValue, 'ours/peer': r.ratio }])),
);
console.log({ pdfs_per_s: big.n / tPred.median, refit_pdfs_per_s: big.n / tRefit.median, template_pdfs_per_s: valid.n / tBpz.median });
const out = join(here, '..', '..', '..', 'bench', 'results', 'clap-photoz.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(`wrote ${out}`);
