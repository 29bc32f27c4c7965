// gp_exact_n{1000,2000}_speedup_vs_sklearn: fit (L-BFGS-B on the log marginal likelihood of
// C·RBF + White from the same start and bounds, no restarts) + predict (mean and std at 200
// points), ours vs scikit-learn's GaussianProcessRegressor on the same data in the same
// invocation; the number of likelihood evaluations of each optimiser is reported too.
// gp_1d_on_loglik_n100000_ms: our celerite-style GP (SHO granulation term) factorisation +
// log-likelihood of 1e5 points (median of 7). ASTRO_SMOKE=1 runs n = 300 / 600 / 1e4.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CeleriteGP, SHOTerm } from '../src/gp/celerite/index.js';
import { GaussianProcessRegressor } from '../src/gp/regressor.js';
import { kernelFromSpec, type KernelSpec } from '../src/gp/kernels/index.js';
import { Rng } from '../src/sampling/random.js';

interface Comparison {
  name: string;
  ours: string;
  peer: string;
  peerValue: string;
  ratio: number;
}

const PEER = `
import json, sys, time
import numpy as np, scipy.optimize, sklearn
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
d = json.load(open(sys.argv[1]))
X = np.array(d["X"])[:, None]; y = np.array(d["y"]); Xs = np.array(d["Xs"])[:, None]
nfev = [0]
def opt(obj_func, initial_theta, bounds):
    def f(t):
        nfev[0] += 1
        return obj_func(t)
    r = scipy.optimize.minimize(f, initial_theta, method="L-BFGS-B", jac=True, bounds=bounds)
    return r.x, r.fun
k = ConstantKernel(1.0, (1e-3, 1e3)) * RBF(1.0, (1e-2, 1e2)) + WhiteKernel(0.1, (1e-5, 1e1))
best = None
for rep in range(int(sys.argv[2])):
    nfev[0] = 0
    t0 = time.perf_counter()
    g = GaussianProcessRegressor(kernel=k, alpha=1e-10, optimizer=opt).fit(X, y)
    mean, std = g.predict(Xs, return_std=True)
    dt = time.perf_counter() - t0
    if best is None or dt < best: best = dt
print(json.dumps({"s": best, "nfev": nfev[0], "lml": float(g.log_marginal_likelihood_value_), "theta": list(g.kernel_.theta), "sklearn": sklearn.__version__}))
`;

const KERNEL: KernelSpec = {
  type: 'sum',
  k1: { type: 'product', k1: { type: 'constant', value: 1, bounds: [1e-3, 1e3] }, k2: { type: 'rbf', lengthScale: 1, bounds: [1e-2, 1e2] } },
  k2: { type: 'white', noiseLevel: 0.1, bounds: [1e-5, 10] },
};

function exactCase(n: number, reps: number): { comparison: Comparison; metrics: Record<string, unknown> } {
  const rng = new Rng(n);
  const X = Float64Array.from({ length: n }, () => 20 * rng.uniform());
  const y = Float64Array.from(X, (v) => Math.sin(v) + 0.5 * Math.cos(2.3 * v) + 0.2 * rng.normal());
  const Xs = Float64Array.from({ length: 200 }, (_, i) => -1 + (22 * i) / 199);
  const file = join(tmpdir(), `bayes-ml-gp-bench-${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ X: Array.from(X), y: Array.from(y), Xs: Array.from(Xs) }));
  const peer = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PEER, file, `${reps}`], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim()) as {
    s: number;
    nfev: number;
    lml: number;
    sklearn: string;
  };
  rmSync(file);
  let best = Infinity;
  let lml = NaN;
  let nfev = 0;
  for (let r = 0; r < reps; r++) {
    const kernel = kernelFromSpec(KERNEL);
    const t0 = performance.now();
    const gp = new GaussianProcessRegressor({ kernel, alpha: 1e-10 }).fit(X, y);
    gp.predict(Xs, { returnStd: true });
    best = Math.min(best, performance.now() - t0);
    lml = gp.logMarginalLikelihoodValue;
    nfev = gp.optimizerInfo?.evaluations ?? 0;
  }
  const peerMs = peer.s * 1e3;
  console.log(`GP n=${n}: ours ${best.toFixed(0)} ms (lml ${lml.toFixed(6)}, ${nfev} evaluations), scikit-learn ${peerMs.toFixed(0)} ms (${peer.nfev} evaluations, lml ${peer.lml.toFixed(6)})`);
  return {
    comparison: {
      name: `gp_exact_n${n}_speedup_vs_sklearn`,
      ours: `${best.toFixed(0)} ms`,
      peer: `scikit-learn ${peer.sklearn} GaussianProcessRegressor (OpenBLAS), fit + predict`,
      peerValue: `${peerMs.toFixed(0)} ms`,
      ratio: Math.round((peerMs / best) * 100) / 100,
    },
    metrics: { n, ours_ms: best, sklearn_ms: peerMs, lml, sklearn_lml: peer.lml, sklearn_evaluations: peer.nfev, evaluations: nfev },
  };
}

export default async function run(): Promise<{ comparisons: Comparison[]; metrics: Record<string, unknown> }> {
  const smoke = process.env['ASTRO_SMOKE'] === '1';
  const sizes = smoke ? [300, 600] : [1000, 2000];
  const cases = sizes.map((n) => exactCase(n, smoke ? 1 : 2));
  // O(N) GP: SHO granulation term on an irregular 1e5-point series.
  const N = smoke ? 10_000 : 100_000;
  const rng = new Rng(1);
  const t = new Float64Array(N);
  for (let i = 1; i < N; i++) t[i] = t[i - 1]! + 0.0204 * (0.5 + rng.uniform());
  const yv = Float64Array.from(t, (v) => Math.sin(v) + 0.1 * rng.normal());
  const gp = new CeleriteGP(new SHOTerm({ S0: 1, w0: 2, Q: 1 / Math.SQRT2 }));
  const times: number[] = [];
  let ll = 0;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    ll = gp.compute(t, { yerr: 0.1 }).logLikelihood(yv);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const celeriteMs = times[3]!;
  console.log(`celerite SHO, N = ${N}: compute + log-likelihood ${celeriteMs.toFixed(1)} ms (median of 7; ll ${ll.toFixed(3)})`);
  return {
    comparisons: cases.map((c) => c.comparison),
    metrics: {
      gp_exact_bench: cases.map((c) => c.metrics),
      gp_1d_on_loglik_n100000_ms: smoke ? undefined : Math.round(celeriteMs * 10) / 10,
      gp_1d_on_bench: { n: N, smoke, median_ms: celeriteMs, min_ms: times[0] },
    },
  };
}
