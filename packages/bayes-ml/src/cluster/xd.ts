import { ShapeError, ValueError } from '@astro/core';
import { choInverse, cholesky, NotPositiveDefiniteError } from '@astro/core/linalg';
import { toDense, toVector, type DenseMatrix, type RowsInput } from '../linalg/index.js';
import { logSumExp } from './gaussian.js';
import { fitGaussianMixture, type MixtureInit } from './gmm.js';
import type { Rng } from '../sampling/rng.js';

const LN2PI = Math.log(2 * Math.PI);

/** Options of {@link fitExtremeDeconvolution}. */
export interface ExtremeDeconvolutionOptions {
  /** Number of components k. */
  k: number;
  /** Explicit initial parameters (full covariances), or `'gmm'` (default): a short GMM fit ignoring errors, as astroML. */
  init?: 'gmm' | MixtureInit;
  /** EM iteration limit (default 100). */
  maxIterations?: number;
  /** Stop when the total log-likelihood rises by less than tol (default 1e-5, astroML's rule). */
  tol?: number;
  /** Value added to the diagonal of every V_j after each M step (Bovy et al.'s w; default 0). */
  regCovar?: number;
  /** Seed for the GMM initialisation. */
  seed?: number | Rng;
}

/** A fitted extreme-deconvolution mixture: the error-free (underlying) distribution. */
export interface ExtremeDeconvolutionModel {
  /** Mixing weights α (k). */
  weights: Float64Array;
  /** Means μ (k × d). */
  means: DenseMatrix;
  /** Underlying covariances V_j, each d×d row-major. */
  covariances: Float64Array[];
  /** Total log-likelihood Σᵢ ln Σⱼ αⱼ N(xᵢ | μⱼ, Vⱼ + Sᵢ) of the fitted data. */
  logLikelihood: number;
  iterations: number;
  converged: boolean;
  /** ln p(xᵢ | Sᵢ) per point for new noisy data. */
  scoreSamples(X: RowsInput, Xcov: ArrayLike<ArrayLike<number>>): Float64Array;
}

function checkCovs(Xcov: ArrayLike<ArrayLike<number>>, n: number, d: number, what: string): Float64Array[] {
  if (Xcov.length !== n) throw new ShapeError(`${what}: ${Xcov.length} covariances for ${n} points`);
  return Array.from(Xcov, (c, i) => {
    const v = toVector(c, `${what}[${i}]`, d * d);
    for (let a = 0; a < d; a++) {
      if (!(v[a * d + a]! >= 0)) throw new ValueError(`${what}[${i}] has a negative variance on the diagonal`);
      for (let b = 0; b < a; b++) {
        if (Math.abs(v[a * d + b]! - v[b * d + a]!) > 1e-12 * (Math.abs(v[a * d + b]!) + 1e-300) + 1e-300) {
          throw new ValueError(`${what}[${i}] is not symmetric`);
        }
      }
    }
    return v;
  });
}

/**
 * Extreme deconvolution (Bovy, Hogg & Roweis 2011, Ann. Appl. Stat. 5, 1657, eqs. 16–19): a
 * Gaussian mixture for the *underlying* distribution of points observed with individual
 * Gaussian noise covariances Sᵢ, fitted by EM. Each point's likelihood is
 * Σⱼ αⱼ N(xᵢ | μⱼ, Vⱼ + Sᵢ); the E step computes qᵢⱼ, bᵢⱼ = μⱼ + Vⱼ Tᵢⱼ⁻¹(xᵢ − μⱼ) and
 * Bᵢⱼ = Vⱼ − Vⱼ Tᵢⱼ⁻¹ Vⱼ, the M step updates α, μ, V. Same algorithm as astroML's `XDGMM`.
 *
 * `Xcov` holds one d×d row-major covariance per point.
 * @throws ShapeError / ValueError on bad shapes, NaN/Inf, asymmetric or negative-variance Sᵢ,
 *   or a Vⱼ + Sᵢ that is not positive definite.
 */
export function fitExtremeDeconvolution(
  X: RowsInput,
  Xcov: ArrayLike<ArrayLike<number>>,
  opts: ExtremeDeconvolutionOptions,
): ExtremeDeconvolutionModel {
  const A = toDense(X, 'fitExtremeDeconvolution: X');
  const { rows: n, cols: d, data: x } = A;
  const S = checkCovs(Xcov, n, d, 'fitExtremeDeconvolution: Xcov');
  const k = opts.k;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new ValueError(`fitExtremeDeconvolution: k must be an integer in [1, ${n}], got ${k}`);
  let alpha: Float64Array;
  let mu: Float64Array;
  let V: Float64Array[];
  const init = opts.init ?? 'gmm';
  if (init === 'gmm') {
    const g = fitGaussianMixture(A, { k, maxIterations: 10, seed: opts.seed ?? 0 });
    alpha = g.weights.slice();
    mu = g.means.data.slice();
    V = g.covariances.map((c) => c.slice());
  } else {
    alpha = toVector(init.weights, 'fitExtremeDeconvolution: init.weights', k);
    const M = toDense(init.means, 'fitExtremeDeconvolution: init.means');
    if (M.rows !== k || M.cols !== d) throw new ShapeError(`fitExtremeDeconvolution: init.means must be ${k}×${d}`);
    mu = M.data.slice();
    if (init.covariances.length !== k) throw new ShapeError(`fitExtremeDeconvolution: init.covariances needs ${k} entries`);
    V = Array.from(init.covariances, (c, j) => toVector(c, `fitExtremeDeconvolution: init.covariances[${j}]`, d * d));
  }
  const reg = opts.regCovar ?? 0;
  const tol = opts.tol ?? 1e-5;
  const maxIt = opts.maxIterations ?? 100;
  const T = new Float64Array(d * d);
  const diff = new Float64Array(d);
  const tmp = new Float64Array(d);
  const logp = new Float64Array(n * k);
  // Per (i, j): T⁻¹ and log N; recomputed each iteration.
  const Tinv = Array.from({ length: n * k }, () => new Float64Array(d * d));
  const evaluate = (xs: Float64Array, covs: Float64Array[], m: number, out: Float64Array, keepInv: boolean): number => {
    let total = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < k; j++) {
        const Vj = V[j]!,
          Si = covs[i]!;
        for (let a = 0; a < d * d; a++) T[a] = Vj[a]! + Si[a]!;
        let f;
        try {
          f = cholesky(T, d, { jitter: false, assumeFinite: true });
        } catch (e) {
          if (e instanceof NotPositiveDefiniteError) {
            throw new ValueError(`fitExtremeDeconvolution: V_${j} + S_${i} is not positive definite`);
          }
          throw e;
        }
        let logDet = 0,
          maha = 0;
        for (let a = 0; a < d; a++) {
          logDet += 2 * Math.log(f.L[a * d + a]!);
          let s = xs[i * d + a]! - mu[j * d + a]!;
          for (let b = 0; b < a; b++) s -= f.L[a * d + b]! * tmp[b]!;
          tmp[a] = s / f.L[a * d + a]!;
          maha += tmp[a]! * tmp[a]!;
        }
        out[i * k + j] = Math.log(alpha[j]!) - 0.5 * (d * LN2PI + logDet + maha);
        if (keepInv) Tinv[i * k + j]!.set(choInverse(f));
      }
      total += logSumExp(out, i * k, k);
    }
    return total;
  };
  let logL = evaluate(x, S, n, logp, false);
  let it = 0;
  let converged = false;
  const b = new Float64Array(n * k * d);
  const B = new Float64Array(n * k * d * d);
  for (; it < maxIt;) {
    // E step (eq. 16).
    evaluate(x, S, n, logp, true);
    const q = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      const lse = logSumExp(logp, i * k, k);
      for (let j = 0; j < k; j++) q[i * k + j] = Math.exp(logp[i * k + j]! - lse);
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        const Ti = Tinv[i * k + j]!,
          Vj = V[j]!;
        for (let a = 0; a < d; a++) diff[a] = x[i * d + a]! - mu[j * d + a]!;
        // tmp = T⁻¹ (x − μ); b = μ + V tmp.
        for (let a = 0; a < d; a++) {
          let s = 0;
          for (let c = 0; c < d; c++) s += Ti[a * d + c]! * diff[c]!;
          tmp[a] = s;
        }
        const boff = (i * k + j) * d;
        for (let a = 0; a < d; a++) {
          let s = mu[j * d + a]!;
          for (let c = 0; c < d; c++) s += Vj[a * d + c]! * tmp[c]!;
          b[boff + a] = s;
        }
        // B = V − V T⁻¹ V.
        const Boff = (i * k + j) * d * d;
        for (let a = 0; a < d; a++) {
          for (let c = 0; c < d; c++) {
            let s = 0;
            for (let e = 0; e < d; e++) {
              let t = 0;
              for (let f2 = 0; f2 < d; f2++) t += Ti[e * d + f2]! * Vj[f2 * d + c]!;
              s += Vj[a * d + e]! * t;
            }
            B[Boff + a * d + c] = Vj[a * d + c]! - s;
          }
        }
      }
    }
    // M step (eqs. 17–19).
    for (let j = 0; j < k; j++) {
      let qj = 0;
      const m = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const w = q[i * k + j]!;
        qj += w;
        for (let a = 0; a < d; a++) m[a] = m[a]! + w * b[(i * k + j) * d + a]!;
      }
      if (!(qj > 0)) throw new ValueError(`fitExtremeDeconvolution: component ${j} lost all its points; reduce k`);
      for (let a = 0; a < d; a++) m[a] = m[a]! / qj;
      const Vn = new Float64Array(d * d);
      for (let i = 0; i < n; i++) {
        const w = q[i * k + j]!;
        const boff = (i * k + j) * d,
          Boff = (i * k + j) * d * d;
        for (let a = 0; a < d; a++) {
          const da = m[a]! - b[boff + a]!;
          for (let c = 0; c < d; c++) Vn[a * d + c] = Vn[a * d + c]! + w * (da * (m[c]! - b[boff + c]!) + B[Boff + a * d + c]!);
        }
      }
      for (let a = 0; a < d * d; a++) Vn[a] = Vn[a]! / qj;
      for (let a = 0; a < d; a++) Vn[a * d + a] = Vn[a * d + a]! + reg;
      alpha[j] = qj / n;
      mu.set(m, j * d);
      V[j] = Vn;
    }
    it++;
    const next = evaluate(x, S, n, logp, false);
    const improved = next - logL;
    logL = next;
    if (improved < tol) {
      converged = true;
      break;
    }
  }
  return {
    weights: alpha,
    means: { data: mu, rows: k, cols: d },
    covariances: V,
    logLikelihood: logL,
    iterations: it,
    converged,
    scoreSamples(Xn, Cn) {
      const Bx = toDense(Xn, 'scoreSamples: X');
      if (Bx.cols !== d) throw new ShapeError(`scoreSamples: X has ${Bx.cols} features, the model has ${d}`);
      const covs = checkCovs(Cn, Bx.rows, d, 'scoreSamples: Xcov');
      const lp = new Float64Array(Bx.rows * k);
      evaluate(Bx.data, covs, Bx.rows, lp, false);
      return Float64Array.from({ length: Bx.rows }, (_, i) => logSumExp(lp, i * k, k));
    },
  };
}
