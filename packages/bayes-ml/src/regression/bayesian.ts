import { ShapeError, ValueError } from '@astro/core';
import { choInverse, choLogDet, cholesky } from '@astro/core/linalg';
import { broadcastPositive, toDense, toVector, type RowsInput } from '../linalg/index.js';
import { linearPredict, normalEquations } from './least-squares.js';

/** Options of {@link bayesianLinearRegression}. */
export interface BayesianLinearOptions {
  /** Known noise: per-point 1σ uncertainties of y, or one value for all points (required). */
  yErr: number | ArrayLike<number>;
  /** Prior mean m₀ of β (default 0). */
  priorMean?: ArrayLike<number>;
  /**
   * Prior covariance S₀ (p×p row-major, symmetric positive definite), or a scalar prior
   * precision α meaning S₀ = α⁻¹ I (default α = 1e-6, i.e. a very broad prior).
   */
  priorCov?: ArrayLike<number> | number;
}

/** Gaussian posterior of a conjugate Bayesian linear model. */
export interface BayesianLinearFit {
  /** Posterior mean m_N (p). */
  mean: Float64Array;
  /** Posterior covariance S_N (p×p, row-major). */
  cov: Float64Array;
  /** Log marginal likelihood ln p(y | Φ, σ, m₀, S₀) (Bishop 2006, eq. 3.86 generalised to S₀). */
  logEvidence: number;
  /**
   * Posterior predictive at new design rows: mean Φ*m_N and variance Φ* S_N Φ*ᵀ + σ*²
   * (σ* = `yErr` at the new points, default 0 for the noise-free function).
   */
  predict(design: RowsInput, yErr?: number | ArrayLike<number>): { mean: Float64Array; variance: Float64Array };
}

/**
 * Conjugate Bayesian linear regression with a Gaussian prior β ~ N(m₀, S₀) and Gaussian noise
 * of known per-point σ (Bishop 2006, §3.3): S_N⁻¹ = S₀⁻¹ + ΦᵀWΦ, m_N = S_N (S₀⁻¹m₀ + ΦᵀWy).
 * @throws ShapeError / ValueError on bad shapes, NaN/Inf or non-positive σ;
 *   NotPositiveDefiniteError if S₀ is not positive definite.
 */
export function bayesianLinearRegression(design: RowsInput, y: ArrayLike<number>, opts: BayesianLinearOptions): BayesianLinearFit {
  const X = toDense(design, 'bayesianLinearRegression: design');
  const { rows: n, cols: p } = X;
  const ys = toVector(y, 'bayesianLinearRegression: y', n);
  const sig = broadcastPositive(opts.yErr, n, 'bayesianLinearRegression: yErr');
  const w = Float64Array.from(sig, (s) => 1 / (s * s));
  const m0 = opts.priorMean ? toVector(opts.priorMean, 'bayesianLinearRegression: priorMean', p) : new Float64Array(p);
  let S0: Float64Array;
  const pc = opts.priorCov ?? 1e-6;
  if (typeof pc === 'number') {
    if (!(pc > 0)) throw new ValueError(`bayesianLinearRegression: prior precision must be > 0, got ${pc}`);
    S0 = new Float64Array(p * p);
    for (let a = 0; a < p; a++) S0[a * p + a] = 1 / pc;
  } else {
    S0 = toVector(pc, 'bayesianLinearRegression: priorCov');
    if (S0.length !== p * p) throw new ShapeError(`bayesianLinearRegression: priorCov must be ${p}×${p}`);
  }
  const f0 = cholesky(S0, p, { jitter: false });
  const P0 = choInverse(f0);
  const { ata, aty } = normalEquations(X, ys, w);
  const Pn = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) Pn[i] = P0[i]! + ata[i]!;
  const fn = cholesky(Pn, p, { jitter: false });
  const Sn = choInverse(fn);
  const rhs = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let s = aty[a]!;
    for (let b = 0; b < p; b++) s += P0[a * p + b]! * m0[b]!;
    rhs[a] = s;
  }
  const mean = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let b = 0; b < p; b++) s += Sn[a * p + b]! * rhs[b]!;
    mean[a] = s;
  }
  // Evidence: y ~ N(Φm₀, C), C = Σ + Φ S₀ Φᵀ. The determinant lemma gives |C| = |Σ| |S₀| |S_N⁻¹|,
  // and (y − Φm₀)ᵀC⁻¹(y − Φm₀) = min_β [ (y − Φβ)ᵀΣ⁻¹(y − Φβ) + (β − m₀)ᵀS₀⁻¹(β − m₀) ], reached at m_N.
  let e = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let a = 0; a < p; a++) m += X.data[i * p + a]! * mean[a]!;
    e += w[i]! * (ys[i]! - m) ** 2;
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) e += (mean[a]! - m0[a]!) * P0[a * p + b]! * (mean[b]! - m0[b]!);
  let logDetNoise = 0;
  for (let i = 0; i < n; i++) logDetNoise += 2 * Math.log(sig[i]!);
  const logEvidence = -0.5 * (e + logDetNoise + choLogDet(f0) + choLogDet(fn) + n * Math.log(2 * Math.PI));
  return {
    mean,
    cov: Sn,
    logEvidence,
    predict(d, err) {
      const { mean: mu, std } = linearPredict(d, mean, Sn);
      const noise = err === undefined ? new Float64Array(mu.length) : broadcastPositive(err, mu.length, 'predict: yErr');
      const variance = Float64Array.from(std, (s, i) => s * s + noise[i]! * noise[i]!);
      return { mean: mu, variance };
    },
  };
}
