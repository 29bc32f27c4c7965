import { ValueError } from '@astro/core';
import { choLogDet, cholesky } from '@astro/core/linalg';
import { toDense, type RowsInput } from '../linalg/index.js';
import { augment, hessianInverse, newtonLogistic, sampleWeights } from './binary.js';
import { encodeLabels, sigmoid } from './labels.js';

/** Options of {@link fitBayesianLogistic}. */
export interface BayesianLogisticOptions {
  /** Prior precision α of the Gaussian prior w ~ N(0, α⁻¹ I) on the coefficients (default 1). */
  priorPrecision?: number;
  /** Prior precision of the intercept (default 0: flat prior). Ignored without an intercept. */
  interceptPriorPrecision?: number;
  /** Fit an intercept (default true). */
  fitIntercept?: boolean;
  /** Non-negative per-sample weights (default 1). */
  sampleWeight?: ArrayLike<number>;
}

/** Laplace approximation to the posterior of a Bayesian binary logistic regression. */
export interface BayesianLogisticModel {
  /** The two class labels, sorted; probabilities refer to `classes[1]`. */
  classes: number[];
  /** Posterior mode (MAP) of the coefficients (p). */
  coef: Float64Array;
  /** MAP intercept (0 when not fitted). */
  intercept: number;
  /** Posterior covariance S_N = H⁻¹ of (coef…, intercept), (q×q row-major, q = p [+1]). */
  cov: Float64Array;
  /** Laplace estimate of the log evidence ln p(y | X, α). */
  logEvidence: number;
  /**
   * P(class = classes[1] | x). `'probit'` (default) marginalises over the Gaussian posterior with
   * the probit approximation σ(κ(s²) μ), κ = (1 + π s²/8)^{−1/2} (MacKay 1992; Bishop 2006 eq.
   * 4.153–4.155), μ = xᵀw_MAP, s² = xᵀS_N x; `'map'` plugs in the posterior mode.
   */
  predictProba(X: RowsInput, method?: 'probit' | 'map'): Float64Array;
  /** Mean μ and variance s² of the activation a = xᵀw under the Laplace posterior. */
  activation(X: RowsInput): { mean: Float64Array; variance: Float64Array };
}

/**
 * Bayesian binary logistic regression by the Laplace approximation (Bishop 2006, §4.5): the MAP
 * under a Gaussian prior (Newton–Raphson), posterior covariance from the inverse Hessian, and
 * the probit-approximated predictive distribution. With `priorPrecision = 1/C` and a flat
 * intercept prior, the MAP equals scikit-learn's `LogisticRegression(C)`.
 * @throws ValueError unless there are exactly two classes; ShapeError on bad shapes.
 */
export function fitBayesianLogistic(X: RowsInput, y: ArrayLike<number>, opts: BayesianLogisticOptions = {}): BayesianLogisticModel {
  const Xd = toDense(X, 'fitBayesianLogistic: X');
  const { rows: n, cols: p } = Xd;
  const { classes, index } = encodeLabels(y, n, 'fitBayesianLogistic: y');
  if (classes.length !== 2) throw new ValueError(`fitBayesianLogistic: needs exactly two classes, got ${classes.length}`);
  const alpha = opts.priorPrecision ?? 1;
  if (!(alpha >= 0)) throw new ValueError(`fitBayesianLogistic: priorPrecision must be ≥ 0, got ${alpha}`);
  const fitIntercept = opts.fitIntercept ?? true;
  const a0 = opts.interceptPriorPrecision ?? 0;
  const A = augment(Xd, fitIntercept);
  const q = A.cols;
  const lambda = new Float64Array(q).fill(alpha);
  if (fitIntercept) lambda[p] = a0;
  const s = sampleWeights(opts.sampleWeight, n, 'fitBayesianLogistic');
  const r = newtonLogistic(A, Uint8Array.from(index), lambda, s, {});
  const cov = hessianInverse(r.hessian, q);
  // Laplace evidence: ln p(y) ≈ −E(w_MAP) + ½ ln|Λ₀| − ½ ln|H| (prior normalisation; flat directions excluded).
  let logDetPrior = 0;
  for (let j = 0; j < q; j++) if (lambda[j]! > 0) logDetPrior += Math.log(lambda[j]!);
  const logDetH = choLogDet(cholesky(r.hessian, q, { jitter: false }));
  const logEvidence = -r.objective + 0.5 * logDetPrior - 0.5 * logDetH;
  const coef = r.w.slice(0, p);
  const b = fitIntercept ? r.w[p]! : 0;
  const activation = (Xn: RowsInput): { mean: Float64Array; variance: Float64Array } => {
    const Xa = augment(toDense(Xn, 'fitBayesianLogistic: X'), fitIntercept);
    if (Xa.cols !== q) throw new ValueError(`predict: X has ${Xa.cols - (fitIntercept ? 1 : 0)} features, the model was fitted on ${p}`);
    const mean = new Float64Array(Xa.rows);
    const variance = new Float64Array(Xa.rows);
    for (let i = 0; i < Xa.rows; i++) {
      const row = i * q;
      let m = 0,
        v = 0;
      for (let j = 0; j < q; j++) {
        m += Xa.data[row + j]! * r.w[j]!;
        let t = 0;
        for (let k = 0; k < q; k++) t += cov[j * q + k]! * Xa.data[row + k]!;
        v += Xa.data[row + j]! * t;
      }
      mean[i] = m;
      variance[i] = Math.max(v, 0);
    }
    return { mean, variance };
  };
  return {
    classes,
    coef,
    intercept: b,
    cov,
    logEvidence,
    activation,
    predictProba(Xn, method = 'probit') {
      const { mean, variance } = activation(Xn);
      return Float64Array.from(mean, (m, i) => sigmoid(method === 'map' ? m : m / Math.sqrt(1 + (Math.PI * variance[i]!) / 8)));
    },
  };
}
