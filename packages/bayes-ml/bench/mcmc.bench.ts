// ensemble_time_ratio_vs_emcee: the same line-with-intrinsic-scatter log-probability (50 points,
// parameters m, b, log s), 32 walkers, the same number of stretch-move steps, in emcee 3 (numpy
// log-probability per walker) and in our EnsembleSampler, same invocation. Ratio = our time ÷
// emcee's (< 1 = faster; 0.1 = ten times faster). Median of 5 interleaved rounds after a warm-up.
// ASTRO_SMOKE=1 runs 300 steps, one round.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnsembleSampler } from '../src/mcmc/index.js';
import { Rng } from '../src/sampling/rng.js';
import { interleave, isPeerError, missingPython, ratio, runPython, summarize, type BenchResult, type RatioResult } from './harness.js';

const PEER = `
import json, sys, time
import numpy as np, emcee
d = json.load(open(sys.argv[1])); n_steps = int(sys.argv[2])
x, y, yerr = (np.array(d[k]) for k in ("x", "y", "yerr"))
def log_prob(theta):
    m, b, log_s = theta
    if not (-10 < log_s < 2):
        return -np.inf
    var = yerr ** 2 + np.exp(2 * log_s)
    return -0.5 * np.sum((y - m * x - b) ** 2 / var + np.log(2 * np.pi * var))
np.random.seed(1)
p0 = np.array([0.8, 2.0, np.log(0.5)]) + 1e-3 * np.random.randn(32, 3)
emcee.EnsembleSampler(32, 3, log_prob).run_mcmc(p0, 50)  # warm-up
s = emcee.EnsembleSampler(32, 3, log_prob)
t0 = time.perf_counter(); s.run_mcmc(p0, n_steps); dt = time.perf_counter() - t0
print(json.dumps({"s": dt, "acc": float(np.mean(s.acceptance_fraction)), "emcee": emcee.__version__}))
`;

export default async function run(): Promise<BenchResult> {
  const smoke = process.env['ASTRO_SMOKE'] === '1';
  const nSteps = smoke ? 300 : 3000;
  const reps = smoke ? 1 : 5;
  const rng = new Rng(7);
  const n = 50;
  const x = Float64Array.from({ length: n }, () => 10 * rng.uniform()).sort();
  const yerr = Float64Array.from({ length: n }, () => 0.3 + 0.7 * rng.uniform());
  const y = Float64Array.from(x, (v, i) => 0.8 * v + 2 + Math.sqrt(yerr[i]! ** 2 + 0.25) * rng.normal());
  const file = join(tmpdir(), `bayes-ml-mcmc-bench-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ x: Array.from(x), y: Array.from(y), yerr: Array.from(yerr) }));

  const logProb = (t: Float64Array): number => {
    const m = t[0]!;
    const b = t[1]!;
    const logS = t[2]!;
    if (!(logS > -10 && logS < 2)) return -Infinity;
    const s2 = Math.exp(2 * logS);
    let lp = 0;
    for (let i = 0; i < n; i++) {
      const v = yerr[i]! ** 2 + s2;
      const r = y[i]! - m * x[i]! - b;
      lp -= 0.5 * ((r * r) / v + Math.log(2 * Math.PI * v));
    }
    return lp;
  };
  const p0 = Float64Array.from({ length: 96 }, (_, i) => [0.8, 2, Math.log(0.5)][i % 3]! + 1e-3 * rng.normal());
  await new EnsembleSampler({ nWalkers: 32, nDim: 3, logProb, seed: 99 }).run(p0, 300); // warm-up
  let acc = 0;
  let peerAcc = NaN;
  let emceeVersion = '';
  let peerError = missingPython(['numpy', 'emcee']);
  let rep = 0;
  const t = await interleave(
    reps,
    async () => {
      const s = new EnsembleSampler({ nWalkers: 32, nDim: 3, logProb, seed: rep++ });
      const t0 = performance.now();
      await s.run(p0, nSteps);
      const dt = performance.now() - t0;
      acc = s.acceptanceFraction.reduce((a, v) => a + v, 0) / 32;
      return dt;
    },
    () => {
      if (peerError) return undefined;
      const r = runPython<{ s: number; acc: number; emcee: string }>({ code: PEER }, [file, `${nSteps}`]);
      if (isPeerError(r)) {
        peerError = r.error;
        return undefined;
      }
      peerAcc = r.acc;
      emceeVersion = r.emcee;
      return r.s * 1e3;
    },
  );
  rmSync(file);
  const ours = summarize(t.ours);
  const res: RatioResult = {
    key: 'ensemble_time_ratio_vs_emcee',
    what: `affine-invariant ensemble sampler, stretch move, 32 walkers × ${nSteps} steps, 3 parameters, 50-point likelihood`,
    ours,
    peer_name: `emcee ${emceeVersion} (numpy log-probability per walker)`,
    load_1min: t.load,
    extra: { acceptance: acc, emcee_acceptance: peerAcc, nSteps },
  };
  if (t.peer.length > 0 && !peerError) {
    res.peer = summarize(t.peer);
    res.ratio = ratio(ours, res.peer);
  } else res.peer_missing = peerError ?? 'no peer run';
  console.log(
    `ensemble_time_ratio_vs_emcee: ours ${ours.median_ms} ms [${ours.min_ms}, ${ours.max_ms}] (acceptance ${acc.toFixed(3)}), ` +
      (res.peer
        ? `emcee ${res.peer.median_ms} ms [${res.peer.min_ms}, ${res.peer.max_ms}] → ${res.ratio}`
        : `emcee missing: ${res.peer_missing}`) +
      `; load ${t.load.join(', ')}`,
  );
  return { results: [res] };
}
