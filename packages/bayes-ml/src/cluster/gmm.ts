import { ShapeError, ValueError } from '@astro/core';
import { NotPositiveDefiniteError } from '@astro/core/linalg';
import { Rng, toRng } from '../sampling/rng.js';
import { toDense, toVector, type DenseMatrix, type RowsInput } from '../linalg/index.js';
import { factorCovariance, logSumExp, type GaussianFactor } from './gaussian.js';
import { kMeans } from './kmeans.js';

/** Initial parameters of a mixture (all three together). */
export interface MixtureInit {
  /** k mixing weights summing to 1. */
  weights: ArrayLike<number>;
  /** k × d means. */
  means: RowsInput;
  /** k covariances: each d×d row-major ('full') or length-d variances ('diag'). */
  covariances: ArrayLike<ArrayLike<number>>;
}

/** Options of {@link fitGaussianMixture}; names and defaults follow `sklearn.mixture.GaussianMixture`. */
export interface GaussianMixtureOptions {
  /** Number of components k. */
  k: number;
  /** `'full'` (default) or `'diag'` covariance matrices. */
  covarianceType?: 'full' | 'diag';
  /** EM iteration limit (default 100). */
  maxIterations?: number;
  /** Stop when the change of the mean log-likelihood per sample is below tol (default 1e-3). */
  tol?: number;
  /** Non-negative value added to covariance diagonals (default 1e-6). */
  regCovar?: number;
  /** `'kmeans'` (default: responsibilities from a seeded k-means), `'random'`, or explicit parameters. */
  init?: 'kmeans' | 'random' | MixtureInit;
  /** Independent initialisations; the highest final lower bound wins (default 1). */
  nInit?: number;
  /** Seed or generator (default 0). */
  seed?: number | Rng;
}

/** A fitted Gaussian mixture. */
export interface GaussianMixtureModel {
  covarianceType: 'full' | 'diag';
  /** Mixing weights (k). */
  weights: Float64Array;
  /** Means (k × d). */
  means: DenseMatrix;
  /** Covariances: k arrays of d×d ('full') or d variances ('diag'). */
  covariances: Float64Array[];
  /** Whether EM met the tolerance, iterations used, and the final mean log-likelihood per sample. */
  converged: boolean;
  iterations: number;
  lowerBound: number;
  /** Number of free parameters: (k−1) + k·d + k·(d(d+1)/2 or d). */
  nParameters: number;
  /** ln p(xᵢ) per sample (sklearn `score_samples`). */
  scoreSamples(X: RowsInput): Float64Array;
  /** Mean log-likelihood per sample. */
  score(X: RowsInput): number;
  /** Responsibilities p(component | xᵢ), n × k. */
  predictProba(X: RowsInput): DenseMatrix;
  /** Most probable component of each sample. */
  predict(X: RowsInput): Int32Array;
  /** Bayesian information criterion −2 ln L + p ln n (Schwarz 1978). */
  bic(X: RowsInput): number;
  /** Akaike information criterion −2 ln L + 2p (Akaike 1974). */
  aic(X: RowsInput): number;
  /** Draw n samples: points (n × d) and their component labels. */
  sample(n: number, seed?: number | Rng): { X: DenseMatrix; labels: Int32Array };
}

interface Params {
  weights: Float64Array;
  means: Float64Array;
  cov: Float64Array[]; // always stored as full d×d internally
}

function factors(p: Params, d: number): GaussianFactor[] {
  return p.cov.map((c, j) => {
    try {
      return factorCovariance(c, d);
    } catch (e) {
      if (e instanceof NotPositiveDefiniteError) {
        throw new ValueError(
          `fitGaussianMixture: covariance of component ${j} is not positive definite (a collapsed or ` +
            'degenerate component); increase regCovar or reduce k',
        );
      }
      throw e;
    }
  });
}

/**
 * Whitening factors of each component: W = L⁻¹ (lower triangular, Σ = L Lᵀ) and W μ, so that
 * ‖L⁻¹(x − μ)‖² = ‖W x − Wμ‖², a product of independent row dot products (sklearn's
 * `precisions_cholesky_` form) rather than a sequential triangular solve.
 */
function whiteners(p: Params, d: number): { W: Float64Array[]; Wmu: Float64Array[]; logDet: Float64Array } {
  const fs = factors(p, d);
  const W: Float64Array[] = [];
  const Wmu: Float64Array[] = [];
  const logDet = new Float64Array(fs.length);
  fs.forEach((f, c) => {
    const w = new Float64Array(d * d);
    for (let col = 0; col < d; col++) {
      // Column `col` of L⁻¹ by forward substitution of e_col.
      for (let a = col; a < d; a++) {
        let s = a === col ? 1 : 0;
        for (let b = col; b < a; b++) s -= f.L[a * d + b]! * w[b * d + col]!;
        w[a * d + col] = s / f.L[a * d + a]!;
      }
    }
    const m = new Float64Array(d);
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b <= a; b++) s += w[a * d + b]! * p.means[c * d + b]!;
      m[a] = s;
    }
    W.push(w);
    Wmu.push(m);
    logDet[c] = f.logDet;
  });
  return { W, Wmu, logDet };
}

const LN2PI = Math.log(2 * Math.PI);

/** E step: fills logResp (n × k) and returns the mean log-likelihood. */
function eStep(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  p: Params,
  logResp: Float64Array,
): { mean: number; perSample: Float64Array } {
  const { W, Wmu, logDet } = whiteners(p, d);
  const base = Float64Array.from(p.weights, (w, c) => Math.log(w) - 0.5 * (d * LN2PI + logDet[c]!));
  const perSample = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const xi = i * d;
    for (let c = 0; c < k; c++) {
      const w = W[c]!,
        m = Wmu[c]!;
      let maha = 0;
      for (let a = 0; a < d; a++) {
        let z = -m[a]!;
        const ra = a * d;
        for (let b = 0; b <= a; b++) z += w[ra + b]! * x[xi + b]!;
        maha += z * z;
      }
      logResp[i * k + c] = base[c]! - 0.5 * maha;
    }
    const lse = logSumExp(logResp, i * k, k);
    perSample[i] = lse;
    total += lse;
    for (let c = 0; c < k; c++) logResp[i * k + c] = logResp[i * k + c]! - lse;
  }
  return { mean: total / n, perSample };
}

/**
 * M step from responsibilities (n × k, linear scale). Covariances are accumulated as
 * Σᵢ rᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ with one packed outer product per point shared by all components, then
 * centred on each component mean (x̄ is the data mean, which keeps the subtraction well
 * conditioned).
 */
function mStep(x: Float64Array, n: number, d: number, k: number, resp: Float64Array, type: 'full' | 'diag', reg: number): Params {
  const T = type === 'full' ? (d * (d + 1)) / 2 : d;
  const xbar = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xbar[j] = xbar[j]! + x[i * d + j]!;
  for (let j = 0; j < d; j++) xbar[j] = xbar[j]! / n;
  const nk = new Float64Array(k);
  const sum = new Float64Array(k * d); // Σ r (x − x̄)
  const outer = new Float64Array(k * T); // Σ r (x − x̄)(x − x̄)ᵀ, packed lower triangle (or diagonal)
  const diff = new Float64Array(d);
  const o = new Float64Array(T);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) diff[j] = x[i * d + j]! - xbar[j]!;
    if (type === 'full') {
      let t = 0;
      for (let a = 0; a < d; a++) {
        const da = diff[a]!;
        for (let b = 0; b <= a; b++) o[t++] = da * diff[b]!;
      }
    } else {
      for (let a = 0; a < d; a++) o[a] = diff[a]! * diff[a]!;
    }
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c]!;
      if (r === 0) continue;
      nk[c] = nk[c]! + r;
      const sc = c * d;
      for (let j = 0; j < d; j++) sum[sc + j] = sum[sc + j]! + r * diff[j]!;
      const oc = c * T;
      for (let t = 0; t < T; t++) outer[oc + t] = outer[oc + t]! + r * o[t]!;
    }
  }
  const eps = 10 * 2.220446049250313e-16;
  const means = new Float64Array(k * d);
  const cov = Array.from({ length: k }, () => new Float64Array(d * d));
  for (let c = 0; c < k; c++) {
    nk[c] = nk[c]! + eps; // as sklearn, avoids 0/0 for empty components
    const u = new Float64Array(d); // component mean relative to x̄
    for (let j = 0; j < d; j++) {
      u[j] = sum[c * d + j]! / nk[c]!;
      means[c * d + j] = xbar[j]! + u[j]!;
    }
    const C = cov[c]!;
    let t = 0;
    for (let a = 0; a < d; a++) {
      if (type === 'full') {
        for (let b = 0; b <= a; b++) {
          const v = outer[c * T + t++]! / nk[c]! - u[a]! * u[b]!;
          C[a * d + b] = v;
          C[b * d + a] = v;
        }
      } else {
        C[a * d + a] = outer[c * T + a]! / nk[c]! - u[a]! * u[a]!;
      }
      C[a * d + a] = C[a * d + a]! + reg;
    }
  }
  const weights = Float64Array.from(nk, (v) => v / n);
  return { weights, means, cov };
}

function checkInit(init: MixtureInit, k: number, d: number, type: 'full' | 'diag'): Params {
  const weights = toVector(init.weights, 'fitGaussianMixture: init.weights', k);
  let sum = 0;
  for (const w of weights) {
    if (!(w >= 0)) throw new ValueError(`fitGaussianMixture: init.weights must be ≥ 0, got ${w}`);
    sum += w;
  }
  if (Math.abs(sum - 1) > 1e-6) throw new ValueError(`fitGaussianMixture: init.weights must sum to 1, got ${sum}`);
  const M = toDense(init.means, 'fitGaussianMixture: init.means');
  if (M.rows !== k || M.cols !== d) throw new ShapeError(`fitGaussianMixture: init.means must be ${k}×${d}, got ${M.rows}×${M.cols}`);
  if (init.covariances.length !== k)
    throw new ShapeError(`fitGaussianMixture: init.covariances needs ${k} entries, got ${init.covariances.length}`);
  const cov = Array.from(init.covariances, (c, j) => {
    const v = toVector(c, `fitGaussianMixture: init.covariances[${j}]`, type === 'full' ? d * d : d);
    if (type === 'full') return v;
    const full = new Float64Array(d * d);
    for (let a = 0; a < d; a++) full[a * d + a] = v[a]!;
    return full;
  });
  return { weights, means: M.data.slice(), cov };
}

/**
 * Gaussian mixture model fitted by expectation–maximisation (Dempster, Laird & Rubin 1977) with
 * full or diagonal covariances, the same estimator as `sklearn.mixture.GaussianMixture`
 * (reg_covar added to the diagonals, k-means initialisation, mean-log-likelihood tolerance).
 * All arithmetic is float64 with per-component Cholesky factors.
 *
 * ```ts
 * const gmm = fitGaussianMixture(X, { k: 3, covarianceType: 'full', seed: 1 });
 * gmm.bic(X); gmm.predictProba(X); gmm.sample(1000);
 * ```
 * @throws ShapeError / ValueError on bad shapes, NaN/Inf, k outside [1, n], a bad explicit init,
 *   or a component whose covariance is not positive definite.
 */
export function fitGaussianMixture(X: RowsInput, opts: GaussianMixtureOptions): GaussianMixtureModel {
  const A = toDense(X, 'fitGaussianMixture: X');
  const { rows: n, cols: d, data: x } = A;
  const k = opts.k;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new ValueError(`fitGaussianMixture: k must be an integer in [1, ${n}], got ${k}`);
  const type = opts.covarianceType ?? 'full';
  const reg = opts.regCovar ?? 1e-6;
  if (!(reg >= 0)) throw new ValueError(`fitGaussianMixture: regCovar must be ≥ 0, got ${reg}`);
  const tol = opts.tol ?? 1e-3;
  const maxIt = opts.maxIterations ?? 100;
  if (!Number.isInteger(maxIt) || maxIt < 1) throw new ValueError(`fitGaussianMixture: maxIterations must be an integer ≥ 1, got ${maxIt}`);
  if (!(tol >= 0)) throw new ValueError(`fitGaussianMixture: tol must be ≥ 0, got ${tol}`);
  const init = opts.init ?? 'kmeans';
  const rng = toRng(opts.seed);
  const nInit = typeof init === 'object' ? 1 : (opts.nInit ?? 1);
  if (!Number.isInteger(nInit) || nInit < 1) throw new ValueError(`fitGaussianMixture: nInit must be an integer ≥ 1, got ${nInit}`);
  const logResp = new Float64Array(n * k);
  let best: { p: Params; lb: number; converged: boolean; it: number } | undefined;
  for (let run = 0; run < nInit; run++) {
    let p: Params;
    if (typeof init === 'object') p = checkInit(init, k, d, type);
    else {
      const resp = new Float64Array(n * k);
      if (init === 'kmeans') {
        const km = kMeans(A, { k, nInit: 1, seed: rng.fork('kmeans').fork(String(run)) });
        for (let i = 0; i < n; i++) resp[i * k + km.labels[i]!] = 1;
      } else {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let c = 0; c < k; c++) s += resp[i * k + c] = rng.uniform();
          for (let c = 0; c < k; c++) resp[i * k + c] = resp[i * k + c]! / s;
        }
      }
      p = mStep(x, n, d, k, resp, type, reg);
    }
    let lb = -Infinity;
    let converged = false;
    let it = 0;
    const resp = new Float64Array(n * k);
    for (it = 1; it <= maxIt; it++) {
      const prev = lb;
      lb = eStep(x, n, d, k, p, logResp).mean;
      for (let i = 0; i < n * k; i++) resp[i] = Math.exp(logResp[i]!);
      p = mStep(x, n, d, k, resp, type, reg);
      if (Math.abs(lb - prev) < tol) {
        converged = true;
        break;
      }
    }
    it = Math.min(it, maxIt);
    if (!best || lb > best.lb) best = { p, lb, converged, it };
  }
  const { p, lb, converged, it } = best!;
  const fs = factors(p, d);
  const nParameters = k - 1 + k * d + k * (type === 'full' ? (d * (d + 1)) / 2 : d);
  const scoreSamples = (Xn: RowsInput): Float64Array => {
    const B = toDense(Xn, 'scoreSamples: X');
    if (B.cols !== d) throw new ShapeError(`scoreSamples: X has ${B.cols} features, the mixture has ${d}`);
    return eStep(B.data, B.rows, d, k, p, new Float64Array(B.rows * k)).perSample;
  };
  const predictProba = (Xn: RowsInput): DenseMatrix => {
    const B = toDense(Xn, 'predictProba: X');
    if (B.cols !== d) throw new ShapeError(`predictProba: X has ${B.cols} features, the mixture has ${d}`);
    const lr = new Float64Array(B.rows * k);
    eStep(B.data, B.rows, d, k, p, lr);
    return { data: lr.map(Math.exp), rows: B.rows, cols: k };
  };
  const score = (Xn: RowsInput): number => {
    const s = scoreSamples(Xn);
    let t = 0;
    for (const v of s) t += v;
    return t / s.length;
  };
  return {
    covarianceType: type,
    weights: p.weights,
    means: { data: p.means, rows: k, cols: d },
    covariances: p.cov.map((c) => (type === 'full' ? c : Float64Array.from({ length: d }, (_, a) => c[a * d + a]!))),
    converged,
    iterations: it,
    lowerBound: lb,
    nParameters,
    scoreSamples,
    score,
    predictProba,
    predict(Xn) {
      const P = predictProba(Xn);
      const out = new Int32Array(P.rows);
      for (let i = 0; i < P.rows; i++) {
        let b = 0;
        for (let c = 1; c < k; c++) if (P.data[i * k + c]! > P.data[i * k + b]!) b = c;
        out[i] = b;
      }
      return out;
    },
    bic: (Xn) => {
      const s = scoreSamples(Xn);
      return -2 * s.reduce((a, b) => a + b, 0) + nParameters * Math.log(s.length);
    },
    aic: (Xn) => -2 * scoreSamples(Xn).reduce((a, b) => a + b, 0) + 2 * nParameters,
    sample(m, seed) {
      if (!Number.isInteger(m) || m < 1) throw new ValueError(`sample: n must be a positive integer, got ${m}`);
      const r = toRng(seed);
      const out = new Float64Array(m * d);
      const labels = new Int32Array(m);
      const z = new Float64Array(d);
      for (let s = 0; s < m; s++) {
        let u = r.uniform();
        let c = 0;
        while (c < k - 1 && u >= p.weights[c]!) u -= p.weights[c++]!;
        labels[s] = c;
        const L = fs[c]!.L;
        for (let a = 0; a < d; a++) z[a] = r.normal();
        for (let a = 0; a < d; a++) {
          let v = p.means[c * d + a]!;
          for (let b = 0; b <= a; b++) v += L[a * d + b]! * z[b]!;
          out[s * d + a] = v;
        }
      }
      return { X: { data: out, rows: m, cols: d }, labels };
    },
  };
}
