import { ValueError } from '@astro/core';
import { NotPositiveDefiniteError, choInverse, choSolve, cholesky } from '@astro/core/linalg';
import { toDense, toVector, type DenseMatrix, type RowsInput } from '../linalg/index.js';
import { sigmoid, softplus } from './labels.js';

/** Result of the penalised Newton solve shared by logistic regression and its Laplace approximation. */
export interface NewtonLogisticResult {
  /** Weights, with the intercept last when fitted (length p or p + 1). */
  w: Float64Array;
  /** Hessian of the penalised negative log-likelihood at w (row-major). */
  hessian: Float64Array;
  /** Penalised negative log-likelihood at w. */
  objective: number;
  iterations: number;
  converged: boolean;
}

/** Design with an optional appended column of ones. */
export function augment(X: DenseMatrix, intercept: boolean): DenseMatrix {
  if (!intercept) return X;
  const { rows, cols } = X;
  const q = cols + 1;
  const data = new Float64Array(rows * q);
  for (let i = 0; i < rows; i++) {
    data.set(X.data.subarray(i * cols, (i + 1) * cols), i * q);
    data[i * q + cols] = 1;
  }
  return { data, rows, cols: q };
}

/**
 * Newton–Raphson / IRLS for binary logistic regression minimising
 *   ½ Σⱼ λⱼ wⱼ² + Σᵢ sᵢ [ ln(1 + e^{aᵢ}) − tᵢ aᵢ ],  aᵢ = xᵢ·w,
 * with per-coefficient penalties λ (0 for an unpenalised intercept) and sample weights s.
 * Each step solves the (p+1)×(p+1) system by Cholesky; a halving line search keeps the objective
 * decreasing. Converges quadratically; stops when max |step| ≤ tol.
 */
export function newtonLogistic(
  A: DenseMatrix,
  t: Uint8Array,
  lambda: Float64Array,
  s: Float64Array,
  opts: { tol?: number; maxIterations?: number; w0?: Float64Array },
): NewtonLogisticResult {
  const { rows: n, cols: q, data } = A;
  const tol = opts.tol ?? 1e-10;
  const maxIt = opts.maxIterations ?? 100;
  const w = opts.w0 ? Float64Array.from(opts.w0) : new Float64Array(q);
  const a = new Float64Array(n);
  const objective = (wv: Float64Array): number => {
    let f = 0;
    for (let j = 0; j < q; j++) f += 0.5 * lambda[j]! * wv[j]! * wv[j]!;
    for (let i = 0; i < n; i++) {
      let z = 0;
      for (let j = 0; j < q; j++) z += data[i * q + j]! * wv[j]!;
      a[i] = z;
      f += s[i]! * (softplus(z) - (t[i]! ? z : 0));
    }
    return f;
  };
  let f = objective(w);
  const H = new Float64Array(q * q);
  const g = new Float64Array(q);
  let converged = false;
  let it = 0;
  for (; it < maxIt; it++) {
    H.fill(0);
    for (let j = 0; j < q; j++) {
      g[j] = lambda[j]! * w[j]!;
      H[j * q + j] = lambda[j]!;
    }
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a[i]!);
      const r = s[i]! * (p - t[i]!);
      const v = s[i]! * p * (1 - p);
      const row = i * q;
      for (let j = 0; j < q; j++) {
        const xj = data[row + j]!;
        g[j] = g[j]! + r * xj;
        const vx = v * xj;
        for (let k = 0; k <= j; k++) H[j * q + k] = H[j * q + k]! + vx * data[row + k]!;
      }
    }
    for (let j = 0; j < q; j++) for (let k = 0; k < j; k++) H[k * q + j] = H[j * q + k]!;
    let step: Float64Array;
    try {
      step = choSolve(cholesky(H, q, { jitter: false }), g);
    } catch (e) {
      if (e instanceof NotPositiveDefiniteError) {
        throw new ValueError(
          'logistic regression: the Hessian is singular — the classes are perfectly separable or features are collinear; ' +
            'use a finite C (stronger penalty) or remove collinear features',
        );
      }
      throw e;
    }
    let maxStep = 0;
    for (let j = 0; j < q; j++) maxStep = Math.max(maxStep, Math.abs(step[j]!));
    // Damped step: halve until the objective does not increase.
    let scale = 1;
    const trial = new Float64Array(q);
    let fNew = f;
    for (let h = 0; h < 30; h++) {
      for (let j = 0; j < q; j++) trial[j] = w[j]! - scale * step[j]!;
      fNew = objective(trial);
      if (fNew <= f + 1e-12 * Math.abs(f)) break;
      scale *= 0.5;
    }
    w.set(trial);
    f = objective(w);
    if (maxStep * scale <= tol * Math.max(1, ...Array.from(w, Math.abs))) {
      converged = true;
      it++;
      break;
    }
  }
  // Final Hessian at the solution (for covariances).
  H.fill(0);
  for (let j = 0; j < q; j++) H[j * q + j] = lambda[j]!;
  for (let i = 0; i < n; i++) {
    const p = sigmoid(a[i]!);
    const v = s[i]! * p * (1 - p);
    const row = i * q;
    for (let j = 0; j < q; j++) {
      const vx = v * data[row + j]!;
      for (let k = 0; k <= j; k++) H[j * q + k] = H[j * q + k]! + vx * data[row + k]!;
    }
  }
  for (let j = 0; j < q; j++) for (let k = 0; k < j; k++) H[k * q + j] = H[j * q + k]!;
  return { w, hessian: H, objective: f, iterations: it, converged };
}

/** Inverse of a symmetric positive-definite Hessian (the Laplace covariance). */
export function hessianInverse(H: Float64Array, q: number): Float64Array {
  return choInverse(cholesky(H, q, { jitter: false }));
}

/** Row-wise linear scores X·w (+ intercept). */
export function scores(X: RowsInput, coef: Float64Array, intercept: number, what: string): { a: Float64Array; Xd: DenseMatrix } {
  const Xd = toDense(X, what);
  if (Xd.cols !== coef.length) {
    throw new ValueError(`${what}: ${Xd.cols} features, the model was fitted on ${coef.length}`);
  }
  const a = new Float64Array(Xd.rows);
  for (let i = 0; i < Xd.rows; i++) {
    let z = intercept;
    for (let j = 0; j < coef.length; j++) z += Xd.data[i * coef.length + j]! * coef[j]!;
    a[i] = z;
  }
  return { a, Xd };
}

/** Sample weights (default 1), validated ≥ 0. */
export function sampleWeights(w: ArrayLike<number> | undefined, n: number, what: string): Float64Array {
  if (w === undefined) return new Float64Array(n).fill(1);
  const s = toVector(w, `${what}: sampleWeight`, n);
  for (let i = 0; i < n; i++) if (!(s[i]! >= 0)) throw new ValueError(`${what}: sampleWeight must be ≥ 0, got ${s[i]} at index ${i}`);
  return s;
}
