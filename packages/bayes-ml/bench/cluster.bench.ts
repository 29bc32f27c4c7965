// kmeans_time_ratio_vs_sklearn and gmm_time_ratio_vs_sklearn: 1e5 × 10 points from 8 Gaussian
// blobs; both libraries start from the same centres and run the same fixed number of iterations
// (tol = 0), so the ratio compares equal work. Ratio = our time ÷ scikit-learn's (> 1 = slower);
// median of 5 interleaved rounds after a warm-up (the peer warms up in its own process).
// ASTRO_SMOKE=1 runs a 2e4-point version, one round.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitGaussianMixture, kMeans } from '../src/index.js';
import { Rng } from '../src/sampling/rng.js';
import { isPeerError, load1, missingPython, ratio, runPython, summarize, type BenchResult, type RatioResult } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));

interface Peer {
  kmeans_s: number;
  kmeans_iter: number;
  kmeans_inertia: number;
  gmm_s: number;
  gmm_iter: number;
  gmm_lower_bound: number;
  sklearn: string;
  threads: number;
}

export default async function run(): Promise<BenchResult> {
  const smoke = process.env['ASTRO_SMOKE'] === '1';
  const n = smoke ? 20_000 : 100_000,
    d = 10,
    k = 8;
  const kmIters = 20,
    gmmIters = 10,
    reps = smoke ? 1 : 5;
  const rng = new Rng(2024);
  const centres = Float64Array.from({ length: k * d }, () => 1.5 * rng.normal()); // overlapping blobs: many Lloyd iterations
  const X = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.below(k);
    for (let j = 0; j < d; j++) X[i * d + j] = centres[c * d + j]! + rng.normal();
  }
  const C0 = X.slice(0, k * d); // first k points as the common starting centres
  const file = join(tmpdir(), `bayes-ml-cluster-bench-${process.pid}.f64`);
  const all = new Float64Array(n * d + k * d);
  all.set(X);
  all.set(C0, n * d);
  writeFileSync(file, Buffer.from(all.buffer));

  const data = { data: X, rows: n, cols: d };
  const init = { data: C0, rows: k, cols: d };
  const eye = Array.from({ length: k }, () => Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0)));
  const means = Array.from({ length: k }, (_, c) => C0.slice(c * d, c * d + d));
  const gmmOpts = { k, tol: 0, maxIterations: gmmIters, init: { weights: new Float64Array(k).fill(1 / k), means, covariances: eye } };
  let km = kMeans(data, { k, init, maxIterations: kmIters, tol: 0 }); // warm-up
  let g = fitGaussianMixture(data, gmmOpts);
  let peerError = missingPython(['sklearn', 'threadpoolctl']);
  const kmTimes: number[] = [],
    gmmTimes: number[] = [],
    peers: Peer[] = [],
    load: number[] = [];
  for (let r = 0; r < reps; r++) {
    load.push(load1());
    let t0 = performance.now();
    km = kMeans(data, { k, init, maxIterations: kmIters, tol: 0 });
    kmTimes.push(performance.now() - t0);
    t0 = performance.now();
    g = fitGaussianMixture(data, gmmOpts);
    gmmTimes.push(performance.now() - t0);
    if (!peerError) {
      const p = runPython<Peer>({ script: join(here, 'peers', 'sklearn_cluster.py') }, [
        file,
        `${n}`,
        `${d}`,
        `${k}`,
        `${kmIters}`,
        `${gmmIters}`,
        '1',
      ]);
      if (isPeerError(p)) peerError = p.error;
      else peers.push(p);
    }
  }
  rmSync(file);
  const peerName = peers[0] ? `scikit-learn ${peers[0].sklearn} (${peers[0].threads} threads)` : 'scikit-learn';
  const make = (key: string, what: string, oursMs: number[], peerMs: number[], extra: Record<string, unknown>): RatioResult => {
    const ours = summarize(oursMs);
    const res: RatioResult = {
      key,
      what,
      ours,
      peer_name: `${peerName} ${key.startsWith('kmeans') ? 'KMeans lloyd' : 'GaussianMixture full'}`,
      load_1min: load,
      extra,
    };
    if (peerMs.length > 0 && !peerError) {
      res.peer = summarize(peerMs);
      res.ratio = ratio(ours, res.peer);
    } else res.peer_missing = peerError ?? 'no peer run';
    console.log(
      `${key}: ours ${ours.median_ms} ms [${ours.min_ms}, ${ours.max_ms}], ` +
        (res.peer
          ? `sklearn ${res.peer.median_ms} ms [${res.peer.min_ms}, ${res.peer.max_ms}] → ${res.ratio}`
          : `sklearn missing: ${res.peer_missing}`) +
        `; load ${load.join(', ')}`,
    );
    return res;
  };
  return {
    results: [
      make(
        'kmeans_time_ratio_vs_sklearn',
        `k-means (Lloyd), ${n} × ${d}, k = ${k}, ${kmIters} iterations from the same centres`,
        kmTimes,
        peers.map((p) => p.kmeans_s * 1e3),
        {
          iterations: km.iterations,
          inertia: km.inertia,
          sklearn_iterations: peers[0]?.kmeans_iter,
          sklearn_inertia: peers[0]?.kmeans_inertia,
        },
      ),
      make(
        'gmm_time_ratio_vs_sklearn',
        `Gaussian mixture (full covariances, EM), ${n} × ${d}, k = ${k}, ${gmmIters} iterations from the same start`,
        gmmTimes,
        peers.map((p) => p.gmm_s * 1e3),
        {
          iterations: g.iterations,
          lower_bound: g.lowerBound,
          sklearn_iterations: peers[0]?.gmm_iter,
          sklearn_lower_bound: peers[0]?.gmm_lower_bound,
        },
      ),
    ],
  };
}
