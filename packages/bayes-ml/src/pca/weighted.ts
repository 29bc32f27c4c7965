import { ShapeError, ValueError } from '@astro/core';
import { cholesky, choSolve, eigh } from '@astro/core/linalg';
import { toDense, type DenseMatrix, type RowsInput } from '../linalg/index.js';
import { fitPca, svdFlip } from './pca.js';

/** Options of {@link fitWeightedPca}. */
export interface WeightedPcaOptions {
  /** Number of components k (required, ≥ 1). */
  nComponents: number;
  /**
   * Per-element weights (n × d, same layout as X), typically inverse variances 1/σ²; 0 marks a
   * missing or masked value (its entry in X is then ignored and may be NaN).
   */
  weights: RowsInput;
  /** Maximum EM iterations (default 500). */
  maxIterations?: number;
  /** Stop when the relative decrease of the weighted χ² is below this (default 1e-10). */
  tol?: number;
}

/** Result of {@link fitWeightedPca}. */
export interface WeightedPcaModel {
  /** Fitted per-feature mean μ (d); coefficients are centred, so with equal weights it is the sample mean. */
  mean: Float64Array;
  /** k orthonormal axes as rows (k × d), ordered by decreasing variance of the coefficients. */
  components: DenseMatrix;
  /** Per-sample coefficients (n × k): the weighted least-squares projection of each row. */
  coefficients: DenseMatrix;
  /** Variance of each coefficient column over the samples (k). */
  explainedVariance: Float64Array;
  /** Weighted χ² = Σ wᵢⱼ (xᵢⱼ − x̂ᵢⱼ)² of the final model. */
  chi2: number;
  /** EM iterations performed, and whether the tolerance was reached. */
  iterations: number;
  converged: boolean;
  /** The model x̂ = mean + coefficients · components for every element (fills missing values), n × d. */
  reconstruct(): DenseMatrix;
  /**
   * Weighted least-squares coefficients of new rows with their own weights (n′ × k): the
   * projection that ignores missing pixels instead of treating them as zero.
   */
  project(X: RowsInput, weights: RowsInput): DenseMatrix;
}

/** Weighted LSQ coefficients c = (Φ W Φᵀ)⁻¹ Φ W (x − μ) of one row, writing into `out`. */
function solveRow(
  x: Float64Array,
  w: Float64Array,
  off: number,
  mean: Float64Array,
  P: Float64Array,
  k: number,
  d: number,
  A: Float64Array,
  b: Float64Array,
): Float64Array {
  A.fill(0);
  b.fill(0);
  for (let j = 0; j < d; j++) {
    const wj = w[off + j]!;
    if (wj === 0) continue;
    const r = x[off + j]! - mean[j]!;
    for (let a = 0; a < k; a++) {
      const pa = P[a * d + j]! * wj;
      b[a] = b[a]! + pa * r;
      for (let c = 0; c <= a; c++) A[a * k + c] = A[a * k + c]! + pa * P[c * d + j]!;
    }
  }
  for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) A[c * k + a] = A[a * k + c]!;
  // A tiny ridge keeps rows with (almost) no valid pixels solvable; their coefficients → 0.
  let tr = 0;
  for (let a = 0; a < k; a++) tr += A[a * k + a]!;
  const eps = 1e-12 * (tr / k || 1);
  for (let a = 0; a < k; a++) A[a * k + a] = A[a * k + a]! + eps;
  return choSolve(cholesky(A, k, { jitter: false, assumeFinite: true }), b);
}

/**
 * PCA of data with per-element weights and missing values: Expectation-Maximization PCA
 * (Bailey 2012, PASP 124, 1015, "Principal Component Analysis with Noisy and/or Missing Data").
 * It finds the model x̂ᵢ = μ + Σₖ cᵢₖ φₖ (mean plus rank k) minimising Σᵢⱼ wᵢⱼ (xᵢⱼ − x̂ᵢⱼ)²,
 * alternating (E) per-row weighted least-squares coefficients and (M) per-pixel weighted
 * least-squares mean and loadings of all k vectors jointly, then re-orthonormalising; each step
 * lowers χ². It starts from
 * ordinary PCA of the data with missing values filled by the weighted mean, and finally rotates
 * within the fitted subspace so the axes are ordered by coefficient variance (signs as
 * {@link svdFlip}). With all weights equal it reproduces ordinary PCA.
 * @throws ShapeError when weights and X differ in shape; ValueError on negative/non-finite
 *   weights, NaN in X where the weight is non-zero, a feature with zero total weight, or a bad k.
 */
export function fitWeightedPca(X: RowsInput, opts: WeightedPcaOptions): WeightedPcaModel {
  // X may hold NaN where w = 0, so validate it together with the weights.
  const Wm = toDense(opts.weights, 'fitWeightedPca: weights');
  const Xraw = rawMatrix(X, 'fitWeightedPca: X');
  const { rows: n, cols: d } = Xraw;
  if (Wm.rows !== n || Wm.cols !== d) {
    throw new ShapeError(`fitWeightedPca: weights are ${Wm.rows}×${Wm.cols}, X is ${n}×${d}`);
  }
  const w = Wm.data;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const wi = w[i]!;
    if (!(wi >= 0)) throw new ValueError(`fitWeightedPca: weights must be ≥ 0, got ${wi} at row ${Math.floor(i / d)}, column ${i % d}`);
    const v = Xraw.data[i]!;
    if (wi > 0 && !Number.isFinite(v)) {
      throw new ValueError(`fitWeightedPca: X is ${v} at row ${Math.floor(i / d)}, column ${i % d} where its weight is > 0`);
    }
    x[i] = wi > 0 ? v : 0;
  }
  const k = opts.nComponents;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(n, d)) {
    throw new ValueError(`fitWeightedPca: nComponents must be an integer in [1, ${Math.min(n, d)}], got ${k}`);
  }
  const mean = new Float64Array(d);
  const wsum = new Float64Array(d);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) {
      mean[j] = mean[j]! + w[i * d + j]! * x[i * d + j]!;
      wsum[j] = wsum[j]! + w[i * d + j]!;
    }
  for (let j = 0; j < d; j++) {
    if (!(wsum[j]! > 0)) throw new ValueError(`fitWeightedPca: feature ${j} has zero total weight (missing in every row)`);
    mean[j] = mean[j]! / wsum[j]!;
  }
  // Start: ordinary PCA of the mean-filled data.
  const filled = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) filled[i * d + j] = w[i * d + j]! > 0 ? x[i * d + j]! : mean[j]!;
  const P = fitPca({ data: filled, rows: n, cols: d }, { nComponents: k }).components.data.slice();
  const C = new Float64Array(n * k);
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  const k1 = k + 1;
  const M = new Float64Array(k1 * k1);
  const v = new Float64Array(k1);
  const chi2Of = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) {
        const wi = w[i * d + j]!;
        if (wi === 0) continue;
        let m = mean[j]!;
        for (let a = 0; a < k; a++) m += C[i * k + a]! * P[a * d + j]!;
        s += wi * (x[i * d + j]! - m) ** 2;
      }
    return s;
  };
  const eStep = (): void => {
    for (let i = 0; i < n; i++) C.set(solveRow(x, w, i * d, mean, P, k, d, A, b), i * k);
  };
  const maxIt = opts.maxIterations ?? 500;
  const tol = opts.tol ?? 1e-10;
  eStep();
  let chi2 = chi2Of();
  let it = 0;
  let converged = false;
  for (; it < maxIt;) {
    // M step: for every pixel j, the mean μⱼ and the k loadings solve the weighted least-squares
    // problem Σᵢ wᵢⱼ (xᵢⱼ − μⱼ − cᵢ·φ·ⱼ)² jointly (Bailey 2012, §3.2, all components at once;
    // fitting μ too matters with missing data, where per-pixel means are biased).
    for (let j = 0; j < d; j++) {
      M.fill(0);
      v.fill(0);
      for (let i = 0; i < n; i++) {
        const wij = w[i * d + j]!;
        if (wij === 0) continue;
        const xij = x[i * d + j]!;
        for (let a = 0; a <= k; a++) {
          const za = (a === 0 ? 1 : C[i * k + a - 1]!) * wij;
          v[a] = v[a]! + za * xij;
          for (let c = 0; c <= a; c++) M[a * k1 + c] = M[a * k1 + c]! + za * (c === 0 ? 1 : C[i * k + c - 1]!);
        }
      }
      for (let a = 0; a <= k; a++) for (let c = 0; c < a; c++) M[c * k1 + a] = M[a * k1 + c]!;
      let tr = 0;
      for (let a = 0; a <= k; a++) tr += M[a * k1 + a]!;
      const eps = 1e-12 * (tr / k1 || 1);
      for (let a = 0; a <= k; a++) M[a * k1 + a] = M[a * k1 + a]! + eps;
      const sol = choSolve(cholesky(M, k1, { jitter: false, assumeFinite: true }), v);
      mean[j] = sol[0]!;
      for (let a = 0; a < k; a++) P[a * d + j] = sol[a + 1]!;
    }
    // Gram–Schmidt.
    for (let a = 0; a < k; a++) {
      for (let c = 0; c < a; c++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += P[a * d + j]! * P[c * d + j]!;
        for (let j = 0; j < d; j++) P[a * d + j] = P[a * d + j]! - dot * P[c * d + j]!;
      }
      let nrm = 0;
      for (let j = 0; j < d; j++) nrm += P[a * d + j]! ** 2;
      nrm = Math.sqrt(nrm);
      if (!(nrm > 0)) throw new ValueError(`fitWeightedPca: component ${a} collapsed to zero; reduce nComponents`);
      for (let j = 0; j < d; j++) P[a * d + j] = P[a * d + j]! / nrm;
    }
    eStep();
    it++;
    const next = chi2Of();
    const rel = (chi2 - next) / Math.max(next, 1e-300);
    chi2 = next;
    if (Math.abs(rel) <= tol) {
      converged = true;
      break;
    }
  }
  // Rotate within the subspace so that the coefficient covariance is diagonal, descending.
  const cm = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) cm[a] = cm[a]! + C[i * k + a]! / n;
  const S = new Float64Array(k * k);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < k; a++)
      for (let c = 0; c < k; c++) {
        S[a * k + c] = S[a * k + c]! + ((C[i * k + a]! - cm[a]!) * (C[i * k + c]! - cm[c]!)) / (n - 1);
      }
  const e = eigh(S, k);
  const order = Array.from({ length: k }, (_, i) => k - 1 - i);
  const P2 = new Float64Array(k * d);
  const C2 = new Float64Array(n * k);
  order.forEach((src, dst) => {
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += e.vectors[a * k + src]! * P[a * d + j]!;
      P2[dst * d + j] = s;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += C[i * k + a]! * e.vectors[a * k + src]!;
      C2[i * k + dst] = s;
    }
  });
  // Fold the coefficient means into the mean so coefficients are centred, as in PCA.
  const cm2 = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) cm2[a] = cm2[a]! + C2[i * k + a]! / n;
  for (let j = 0; j < d; j++) for (let a = 0; a < k; a++) mean[j] = mean[j]! + cm2[a]! * P2[a * d + j]!;
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) C2[i * k + a] = C2[i * k + a]! - cm2[a]!;
  svdFlip(C2, n, k, P2, d);
  const explainedVariance = Float64Array.from(order, (src) => e.values[src]!);
  const components: DenseMatrix = { data: P2, rows: k, cols: d };
  return {
    mean,
    components,
    coefficients: { data: C2, rows: n, cols: k },
    explainedVariance,
    chi2,
    iterations: it,
    converged,
    reconstruct() {
      const out = new Float64Array(n * d);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < d; j++) {
          let m = mean[j]!;
          for (let a = 0; a < k; a++) m += C2[i * k + a]! * P2[a * d + j]!;
          out[i * d + j] = m;
        }
      return { data: out, rows: n, cols: d };
    },
    project(Xn, Wn) {
      const Xr = rawMatrix(Xn, 'project: X');
      const Wr = toDense(Wn, 'project: weights');
      if (Xr.cols !== d || Wr.cols !== d || Wr.rows !== Xr.rows) {
        throw new ShapeError(`project: X (${Xr.rows}×${Xr.cols}) and weights (${Wr.rows}×${Wr.cols}) must both be n×${d}`);
      }
      const xs = Float64Array.from(Xr.data, (v, i) => (Wr.data[i]! > 0 ? v : 0));
      const out = new Float64Array(Xr.rows * k);
      for (let i = 0; i < Xr.rows; i++) out.set(solveRow(xs, Wr.data, i * d, mean, P2, k, d, A, b), i * k);
      return { data: out, rows: Xr.rows, cols: k };
    },
  };
}

/** Rectangular copy of X without the finiteness check (NaN allowed where the weight is 0). */
function rawMatrix(X: RowsInput, what: string): DenseMatrix {
  if (!Array.isArray(X) && typeof (X as DenseMatrix).rows === 'number') {
    const m = X as DenseMatrix;
    if (m.data.length !== m.rows * m.cols) throw new ShapeError(`${what}: data has ${m.data.length} values, expected ${m.rows}×${m.cols}`);
    return m;
  }
  const rows = X as ArrayLike<ArrayLike<number>>;
  const n = rows.length;
  if (n === 0) throw new ShapeError(`${what}: no rows`);
  const d = rows[0]!.length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (r.length !== d) throw new ShapeError(`${what}: row ${i} has ${r.length} values, row 0 has ${d}`);
    for (let j = 0; j < d; j++) data[i * d + j] = r[j]!;
  }
  return { data, rows: n, cols: d };
}
