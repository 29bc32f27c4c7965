import { ValueError } from '@astro/core';
import { minimizeLbfgs } from '@astro/core/linalg';
import { toDense, type RowsInput } from '../linalg/index.js';
import { augment, newtonLogistic, sampleWeights, scores } from './binary.js';
import { encodeLabels, sigmoid } from './labels.js';

/** Options of {@link fitLogisticRegression}; names and defaults follow scikit-learn. */
export interface LogisticOptions {
  /** Inverse L2 regularisation strength C > 0 (penalty ½‖w‖²/C; default 1). `Infinity` = no penalty. */
  C?: number;
  /** Fit an unpenalised intercept (default true). */
  fitIntercept?: boolean;
  /** Non-negative per-sample weights (default 1). */
  sampleWeight?: ArrayLike<number>;
  /** Convergence tolerance (default 1e-10: Newton step size, or L-BFGS projected gradient). */
  tol?: number;
  /** Iteration limit (default 100 Newton / 15000 L-BFGS). */
  maxIterations?: number;
}

/** A fitted binary or multinomial logistic-regression classifier. */
export interface LogisticRegressionModel {
  /** Sorted class labels. */
  classes: number[];
  /**
   * Coefficients: one row of p values for binary problems (the log-odds of `classes[1]`), or
   * K rows (one per class, softmax) for multinomial problems.
   */
  coef: Float64Array[];
  /** Intercepts, one per row of `coef` (0 when not fitted). */
  intercept: Float64Array;
  /** Iterations used and whether the solver converged. */
  iterations: number;
  converged: boolean;
  /** Raw scores: log-odds (binary, length n) or K logits per row (multinomial, n×K row-major). */
  decisionFunction(X: RowsInput): Float64Array;
  /** Class probabilities, one Float64Array of length K per row (columns ordered as `classes`). */
  predictProba(X: RowsInput): Float64Array[];
  /** Most probable class label of each row. */
  predict(X: RowsInput): number[];
}

/**
 * L2-penalised logistic regression for binary and multinomial problems, minimising the same
 * objective as scikit-learn's `LogisticRegression` (lbfgs/newton-cg solvers):
 *   ½ ‖W‖² + C Σᵢ sᵢ · (−ln p(yᵢ | xᵢ)),  intercepts unpenalised,
 * with p the logistic (two classes) or softmax (K > 2 classes) model. Two classes are solved by
 * Newton–Raphson (IRLS, quadratic convergence); K > 2 by L-BFGS with the analytic gradient.
 *
 * ```ts
 * const clf = fitLogisticRegression(X, labels, { C: 1e4 });
 * const p = clf.predictProba(Xnew); // [[p0, p1], …]
 * ```
 * @throws ShapeError / ValueError on bad shapes, NaN/Inf, a single class, C ≤ 0, or (binary,
 *   C = ∞) a singular Hessian from perfectly separable classes.
 */
export function fitLogisticRegression(X: RowsInput, y: ArrayLike<number>, opts: LogisticOptions = {}): LogisticRegressionModel {
  const Xd = toDense(X, 'fitLogisticRegression: X');
  const { rows: n, cols: p } = Xd;
  const { classes, index } = encodeLabels(y, n, 'fitLogisticRegression: y');
  const C = opts.C ?? 1;
  if (!(C > 0)) throw new ValueError(`fitLogisticRegression: C must be > 0, got ${C}`);
  const lam = Number.isFinite(C) ? 1 / C : 0;
  const fitIntercept = opts.fitIntercept ?? true;
  const s = sampleWeights(opts.sampleWeight, n, 'fitLogisticRegression');
  const K = classes.length;
  const A = augment(Xd, fitIntercept);
  const q = A.cols;

  if (K === 2) {
    // Scale the objective by 1/C: ½λ‖w‖² + Σ sᵢ ℓᵢ has the same minimiser and better conditioning.
    const lambda = new Float64Array(q).fill(lam);
    if (fitIntercept) lambda[p] = 0;
    const t = Uint8Array.from(index);
    const r = newtonLogistic(A, t, lambda, s, { tol: opts.tol ?? 1e-10, maxIterations: opts.maxIterations ?? 100 });
    const coef = r.w.slice(0, p);
    const b = fitIntercept ? r.w[p]! : 0;
    return binaryModel(classes, coef, b, r.iterations, r.converged);
  }

  // Multinomial: W is K×q (intercept last in each row), minimised by L-BFGS.
  const logits = new Float64Array(K);
  const fg = (w: Float64Array, g: Float64Array): number => {
    g.fill(0);
    let f = 0;
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < p; j++) {
        const v = w[k * q + j]!;
        f += 0.5 * lam * v * v;
        g[k * q + j] = lam * v;
      }
      if (fitIntercept) g[k * q + p] = 0;
    }
    for (let i = 0; i < n; i++) {
      const row = i * q;
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        let z = 0;
        for (let j = 0; j < q; j++) z += A.data[row + j]! * w[k * q + j]!;
        logits[k] = z;
        if (z > mx) mx = z;
      }
      let se = 0;
      for (let k = 0; k < K; k++) se += Math.exp(logits[k]! - mx);
      const lse = mx + Math.log(se);
      const si = s[i]!;
      f += si * (lse - logits[index[i]!]!);
      for (let k = 0; k < K; k++) {
        const r = si * (Math.exp(logits[k]! - lse) - (index[i] === k ? 1 : 0));
        if (r === 0) continue;
        for (let j = 0; j < q; j++) g[k * q + j] = g[k * q + j]! + r * A.data[row + j]!;
      }
    }
    return f;
  };
  const res = minimizeLbfgs(fg, new Float64Array(K * q), {
    gtol: opts.tol ?? 1e-10,
    ftol: 0,
    maxIterations: opts.maxIterations ?? 15000,
  });
  const coef = Array.from({ length: K }, (_, k) => res.x.slice(k * q, k * q + p));
  const intercept = new Float64Array(K);
  if (fitIntercept) {
    // Softmax is invariant to a common shift of the (unpenalised) intercepts; report them centred.
    let mean = 0;
    for (let k = 0; k < K; k++) mean += res.x[k * q + p]!;
    mean /= K;
    for (let k = 0; k < K; k++) intercept[k] = res.x[k * q + p]! - mean;
  }
  return multinomialModel(classes, coef, intercept, res.iterations, res.converged);
}

function binaryModel(classes: number[], coef: Float64Array, b: number, iterations: number, converged: boolean): LogisticRegressionModel {
  const decisionFunction = (X: RowsInput): Float64Array => scores(X, coef, b, 'decisionFunction: X').a;
  const predictProba = (X: RowsInput): Float64Array[] =>
    Array.from(decisionFunction(X), (a) => {
      const p1 = sigmoid(a);
      return Float64Array.of(1 - p1, p1);
    });
  return {
    classes,
    coef: [coef],
    intercept: Float64Array.of(b),
    iterations,
    converged,
    decisionFunction,
    predictProba,
    predict: (X) => Array.from(decisionFunction(X), (a) => classes[a > 0 ? 1 : 0]!),
  };
}

function multinomialModel(
  classes: number[],
  coef: Float64Array[],
  intercept: Float64Array,
  iterations: number,
  converged: boolean,
): LogisticRegressionModel {
  const K = classes.length;
  const p = coef[0]!.length;
  const decisionFunction = (X: RowsInput): Float64Array => {
    const Xd = toDense(X, 'decisionFunction: X');
    if (Xd.cols !== p) throw new ValueError(`decisionFunction: X has ${Xd.cols} features, the model was fitted on ${p}`);
    const out = new Float64Array(Xd.rows * K);
    for (let i = 0; i < Xd.rows; i++) {
      for (let k = 0; k < K; k++) {
        let z = intercept[k]!;
        const c = coef[k]!;
        for (let j = 0; j < p; j++) z += Xd.data[i * p + j]! * c[j]!;
        out[i * K + k] = z;
      }
    }
    return out;
  };
  const predictProba = (X: RowsInput): Float64Array[] => {
    const z = decisionFunction(X);
    const rows = z.length / K;
    return Array.from({ length: rows }, (_, i) => {
      const r = z.slice(i * K, (i + 1) * K);
      const mx = Math.max(...r);
      let se = 0;
      for (let k = 0; k < K; k++) se += r[k] = Math.exp(r[k]! - mx);
      for (let k = 0; k < K; k++) r[k] = r[k]! / se;
      return r;
    });
  };
  return {
    classes,
    coef,
    intercept,
    iterations,
    converged,
    decisionFunction,
    predictProba,
    predict: (X) =>
      predictProba(X).map((r) => {
        let best = 0;
        for (let k = 1; k < K; k++) if (r[k]! > r[best]!) best = k;
        return classes[best]!;
      }),
  };
}
