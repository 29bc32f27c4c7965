import { ValueError } from '@astro/core';
import { svd } from '@astro/core/linalg';
import { toDense, type DenseMatrix, type RowsInput } from '../linalg/index.js';

/** Options of {@link fitPca}. */
export interface PcaOptions {
  /** Number of components k (default min(n, d)). */
  nComponents?: number;
  /** Scale projections to unit variance (sklearn `whiten`; default false). */
  whiten?: boolean;
}

/** A fitted principal-component analysis. */
export interface PcaModel {
  /** Per-feature mean that was subtracted (d). */
  mean: Float64Array;
  /** k principal axes as rows (k × d row-major), unit length, by decreasing variance. */
  components: DenseMatrix;
  /** Variance along each axis, s²/(n − 1) (k), as sklearn `explained_variance_`. */
  explainedVariance: Float64Array;
  /** Fraction of the total variance along each axis (k). */
  explainedVarianceRatio: Float64Array;
  /** Singular values of the centred data (k). */
  singularValues: Float64Array;
  /** Project rows onto the axes: (x − mean)·Vᵀ (÷ √variance when whitened); n × k. */
  transform(X: RowsInput): DenseMatrix;
  /** Map projections back to feature space: z·V + mean; n × d. */
  inverseTransform(Z: RowsInput): DenseMatrix;
}

/**
 * Apply scikit-learn's `svd_flip(u, v, u_based_decision=True)` convention (sklearn ≤ 1.4, used by
 * its PCA): each component's sign is chosen so that the largest-|·| entry of the corresponding
 * column of U (the projections of the samples) is positive. Mutates U (n×k) and Vt (k×d).
 */
export function svdFlip(U: Float64Array, n: number, k: number, Vt: Float64Array, d: number): void {
  for (let c = 0; c < k; c++) {
    let best = 0;
    let arg = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(U[i * k + c]!);
      if (a > best) {
        best = a;
        arg = i;
      }
    }
    if (U[arg * k + c]! < 0) {
      for (let i = 0; i < n; i++) U[i * k + c] = -U[i * k + c]!;
      for (let j = 0; j < d; j++) Vt[c * d + j] = -Vt[c * d + j]!;
    }
  }
}

/**
 * Principal component analysis by the thin SVD of the centred data X − μ = U S Vᵀ
 * (Pearson 1901; the same estimator as `sklearn.decomposition.PCA(svd_solver='full')`).
 * Axes are the rows of Vᵀ with the sign convention of {@link svdFlip}, so results match
 * scikit-learn component for component.
 * @throws ShapeError / ValueError on empty, ragged or non-finite input, or k out of range.
 */
export function fitPca(X: RowsInput, opts: PcaOptions = {}): PcaModel {
  const A = toDense(X, 'fitPca: X');
  const { rows: n, cols: d } = A;
  if (n < 2) throw new ValueError(`fitPca: need at least 2 samples, got ${n}`);
  const r = Math.min(n, d);
  const k = opts.nComponents ?? r;
  if (!Number.isInteger(k) || k < 1 || k > r) throw new ValueError(`fitPca: nComponents must be an integer in [1, ${r}], got ${k}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + A.data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  const Xc = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Xc[i * d + j] = A.data[i * d + j]! - mean[j]!;
  const dec = svd(Xc, n, d);
  // U (n×r) and Vᵀ (r×d) with sklearn's sign convention over all r components.
  const U = dec.U;
  const Vt = new Float64Array(r * d);
  for (let c = 0; c < r; c++) for (let j = 0; j < d; j++) Vt[c * d + j] = dec.V[j * r + c]!;
  svdFlip(U, n, r, Vt, d);
  let total = 0;
  for (let c = 0; c < r; c++) total += (dec.s[c]! * dec.s[c]!) / (n - 1);
  const components: DenseMatrix = { data: Vt.slice(0, k * d), rows: k, cols: d };
  const singularValues = dec.s.slice(0, k);
  const explainedVariance = Float64Array.from(singularValues, (s) => (s * s) / (n - 1));
  const explainedVarianceRatio = Float64Array.from(explainedVariance, (v) => v / total);
  const whiten = opts.whiten ?? false;
  return {
    mean,
    components,
    explainedVariance,
    explainedVarianceRatio,
    singularValues,
    transform(Xn) {
      const B = toDense(Xn, 'transform: X');
      if (B.cols !== d) throw new ValueError(`transform: X has ${B.cols} features, the PCA was fitted on ${d}`);
      const out = new Float64Array(B.rows * k);
      for (let i = 0; i < B.rows; i++) {
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += (B.data[i * d + j]! - mean[j]!) * Vt[c * d + j]!;
          out[i * k + c] = whiten ? s / Math.sqrt(explainedVariance[c]!) : s;
        }
      }
      return { data: out, rows: B.rows, cols: k };
    },
    inverseTransform(Zn) {
      const Z = toDense(Zn, 'inverseTransform: Z');
      if (Z.cols !== k) throw new ValueError(`inverseTransform: Z has ${Z.cols} columns, the PCA has ${k} components`);
      const out = new Float64Array(Z.rows * d);
      for (let i = 0; i < Z.rows; i++) {
        for (let j = 0; j < d; j++) {
          let s = mean[j]!;
          for (let c = 0; c < k; c++) s += Z.data[i * k + c]! * (whiten ? Math.sqrt(explainedVariance[c]!) : 1) * Vt[c * d + j]!;
          out[i * d + j] = s;
        }
      }
      return { data: out, rows: Z.rows, cols: d };
    },
  };
}
