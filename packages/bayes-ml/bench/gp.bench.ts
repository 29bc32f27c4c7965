// Exact GP, fit + predict, ours vs scikit-learn on the same data in the same invocation:
// kernel C·RBF + White from the same start and bounds, L-BFGS-B on the log marginal likelihood
// with its analytic gradient, no restarts (both), alpha = 1e-10, then predictive mean and std at
// 200 points. Keys `gp_n{1000,2000}_time_ratio_vs_sklearn` (ours ÷ sklearn, > 1 = slower; sklearn
// with OpenBLAS's default threads) and `gp_n1000_time_ratio_vs_sklearn_1thread` (OpenBLAS pinned
// to 1 thread). Median of 3 interleaved rounds after a warm-up; both sides' likelihood
// evaluations and optimum are kept. Also `gp_1d_on_loglik_n100000_ms`: our celerite-style GP
// (SHO term) factorisation + log-likelihood of 1e5 points, median of 7.
// ASTRO_SMOKE=1 runs n = 300 / 600 and 1e4 points, one round.
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CeleriteGP, SHOTerm } from '../src/gp/celerite/index.js';
import { GaussianProcessRegressor } from '../src/gp/regressor.js';
import { kernelFromSpec, type KernelSpec } from '../src/gp/kernels/index.js';
import { Rng } from '../src/sampling/rng.js';
import { interleave, isPeerError, missingPython, ratio, runPython, summarize, type BenchResult, type RatioResult } from './harness.js';

const PEER = `
import json, sys, time
import numpy as np, scipy.optimize, sklearn
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from threadpoolctl import threadpool_info
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
GaussianProcessRegressor(kernel=k, alpha=1e-10, optimizer=opt).fit(X[:200], y[:200]).predict(Xs, return_std=True)  # warm-up
nfev[0] = 0
t0 = time.perf_counter()
g = GaussianProcessRegressor(kernel=k, alpha=1e-10, optimizer=opt).fit(X, y)
mean, std = g.predict(Xs, return_std=True)
dt = time.perf_counter() - t0
threads = max((t.get("num_threads", 1) for t in threadpool_info()), default=1)
print(json.dumps({"s": dt, "nfev": nfev[0], "lml": float(g.log_marginal_likelihood_value_), "theta": list(g.kernel_.theta), "sklearn": sklearn.__version__, "threads": threads}))
`;

const KERNEL: KernelSpec = {
  type: 'sum',
  k1: {
    type: 'product',
    k1: { type: 'constant', value: 1, bounds: [1e-3, 1e3] },
    k2: { type: 'rbf', lengthScale: 1, bounds: [1e-2, 1e2] },
  },
  k2: { type: 'white', noiseLevel: 0.1, bounds: [1e-5, 10] },
};

interface PeerOut {
  s: number;
  nfev: number;
  lml: number;
  theta: number[];
  sklearn: string;
  threads: number;
}

function data(n: number): { X: Float64Array; y: Float64Array; Xs: Float64Array } {
  const rng = new Rng(n);
  const X = Float64Array.from({ length: n }, () => 20 * rng.uniform());
  const y = Float64Array.from(X, (v) => Math.sin(v) + 0.5 * Math.cos(2.3 * v) + 0.2 * rng.normal());
  const Xs = Float64Array.from({ length: 200 }, (_, i) => -1 + (22 * i) / 199);
  return { X, y, Xs };
}

function fitPredict(X: Float64Array, y: Float64Array, Xs: Float64Array): GaussianProcessRegressor {
  const gp = new GaussianProcessRegressor({ kernel: kernelFromSpec(KERNEL), alpha: 1e-10 }).fit(X, y);
  gp.predict(Xs, { returnStd: true });
  return gp;
}

async function exactCase(n: number, reps: number, oneThread: boolean, missing: string | undefined): Promise<RatioResult> {
  const { X, y, Xs } = data(n);
  const file = join(tmpdir(), `bayes-ml-gp-bench-${process.pid}-${n}.json`);
  writeFileSync(file, JSON.stringify({ X: Array.from(X), y: Array.from(y), Xs: Array.from(Xs) }));
  const env: Record<string, string> = oneThread ? { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } : {};
  let last: PeerOut | undefined;
  let peerError = missing;
  let gp: GaussianProcessRegressor | undefined;
  fitPredict(X.subarray(0, 300), y.subarray(0, 300), Xs); // warm-up: JIT and wasm tier-up
  const t = await interleave(
    reps,
    () => {
      const t0 = performance.now();
      gp = fitPredict(X, y, Xs);
      return performance.now() - t0;
    },
    peerError
      ? undefined
      : () => {
          if (peerError) return undefined;
          const r = runPython<PeerOut>({ code: PEER }, [file], env);
          if (isPeerError(r)) {
            peerError = r.error;
            return undefined;
          }
          last = r;
          return r.s * 1e3;
        },
  );
  rmSync(file);
  const ours = summarize(t.ours);
  const key = `gp_n${n}_time_ratio_vs_sklearn${oneThread ? '_1thread' : ''}`;
  const res: RatioResult = {
    key,
    what: `exact GP fit (L-BFGS-B, C·RBF + White) + predict mean/std at 200 points, n = ${n}`,
    ours,
    peer_name: last
      ? `scikit-learn ${last.sklearn} GaussianProcessRegressor (OpenBLAS, ${last.threads} thread${last.threads > 1 ? 's' : ''})`
      : 'scikit-learn GaussianProcessRegressor',
    load_1min: t.load,
    extra: {
      evaluations: gp?.optimizerInfo?.evaluations,
      lml: gp?.logMarginalLikelihoodValue,
      theta: gp ? Array.from(gp.kernel_.theta) : undefined,
      sklearn_evaluations: last?.nfev,
      sklearn_lml: last?.lml,
      sklearn_theta: last?.theta,
    },
  };
  if (t.peer.length > 0 && !peerError) {
    res.peer = summarize(t.peer);
    res.ratio = ratio(ours, res.peer);
  } else {
    res.peer_missing = peerError ?? 'no peer run';
  }
  console.log(
    `${key}: ours ${ours.median_ms.toFixed(0)} ms [${ours.min_ms.toFixed(0)}, ${ours.max_ms.toFixed(0)}] (${gp?.optimizerInfo?.evaluations} evaluations), ` +
      (res.peer
        ? `sklearn ${res.peer.median_ms.toFixed(0)} ms [${res.peer.min_ms.toFixed(0)}, ${res.peer.max_ms.toFixed(0)}] (${last?.nfev} evaluations) → ${res.ratio}`
        : `sklearn missing: ${res.peer_missing}`) +
      `; load ${t.load.join(', ')}`,
  );
  return res;
}

export default async function run(): Promise<BenchResult> {
  const smoke = process.env['ASTRO_SMOKE'] === '1';
  const reps = smoke ? 1 : 3;
  const missing = missingPython(['sklearn', 'scipy', 'threadpoolctl']);
  const [a, b] = smoke ? [300, 600] : [1000, 2000];
  // ASTRO_BENCH_GP_SIZES=2000 (comma list) runs only those sizes; the 1-thread case runs at the smaller size.
  const only = (process.env['ASTRO_BENCH_GP_SIZES'] ?? '').split(',').filter(Boolean).map(Number);
  const want = (n: number): boolean => only.length === 0 || only.includes(n);
  const results: RatioResult[] = [];
  if (want(a)) results.push(await exactCase(a, reps, false, missing), await exactCase(a, reps, true, missing));
  if (want(b)) results.push(await exactCase(b, reps, false, missing));
  // O(N) GP: SHO granulation term on an irregular 1e5-point series.
  const N = smoke ? 10_000 : 100_000;
  const rng = new Rng(1);
  const t = new Float64Array(N);
  for (let i = 1; i < N; i++) t[i] = t[i - 1]! + 0.0204 * (0.5 + rng.uniform());
  const yv = Float64Array.from(t, (v) => Math.sin(v) + 0.1 * rng.normal());
  const gp = new CeleriteGP(new SHOTerm({ S0: 1, w0: 2, Q: 1 / Math.SQRT2 }));
  gp.compute(t, { yerr: 0.1 }).logLikelihood(yv); // warm-up
  const times: number[] = [];
  let ll = 0;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    ll = gp.compute(t, { yerr: 0.1 }).logLikelihood(yv);
    times.push(performance.now() - t0);
  }
  const cel = summarize(times);
  console.log(
    `celerite SHO, N = ${N}: compute + log-likelihood median ${cel.median_ms} ms [${cel.min_ms}, ${cel.max_ms}] (ll ${ll.toFixed(3)})`,
  );
  return { results, metrics: { [`gp_1d_on_loglik_n${N}_ms`]: { ...cel, loglik: ll } } };
}
