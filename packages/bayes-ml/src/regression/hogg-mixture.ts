import { minimizeLbfgs, numericGradient } from '@astro/core/linalg';
import { ValueError } from '@astro/core';
import { laplaceCovariance, numericHessian } from '../linalg/index.js';
import { checkPoints, type PointsWithErrors } from './data.js';
import { fitLeastSquares } from './least-squares.js';
import { polynomialBasis } from './basis.js';

/** Result of {@link fitLineMixture}: the maximum-a-posteriori mixture model. */
export interface LineMixtureFit {
  slope: number;
  intercept: number;
  /** Laplace-approximation standard errors of slope and intercept (other parameters marginalised); NaN if the Hessian is not positive definite. */
  slopeErr: number;
  interceptErr: number;
  /** P_b, the prior probability that a point is an outlier. */
  outlierFraction: number;
  /** Y_b, mean of the outlier (background) distribution. */
  outlierMean: number;
  /** V_b, variance of the outlier distribution. */
  outlierVariance: number;
  /** Posterior probability that each point is an outlier (Hogg et al. 2010, §4, after eq. 17). */
  outlierProbability: Float64Array;
  /** Maximised log-likelihood (flat priors). */
  logLikelihood: number;
}

const LN2PI = Math.log(2 * Math.PI);

function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/**
 * The outlier mixture model of Hogg, Bovy & Lang (2010, §3, eq. 17): each point is either on the
 * line y = m x + b with its Gaussian y error σyᵢ, or (with probability P_b) drawn from a broad
 * background N(Y_b, V_b + σyᵢ²). Returns the maximum of the likelihood marginalised over the
 * per-point good/bad labels (flat priors, i.e. MAP), found by L-BFGS from several starts in the
 * unconstrained parameters (b, m, logit P_b, Y_b, ln V_b), plus each point's posterior outlier
 * probability. On the paper's Table 1 (all 20 points) this gives m ≈ 2.26, b ≈ 32, P_b ≈ 0.26.
 * `sigmaX`/`rhoXY` are not used by this model (it is defined with y errors only).
 */
export function fitLineMixture(points: PointsWithErrors): LineMixtureFit {
  const { n, x, y, sy } = checkPoints(points, 'fitLineMixture');
  if (n < 5) throw new ValueError(`fitLineMixture: need at least 5 points for a 5-parameter model, got ${n}`);
  const lnPoints = (q: Float64Array, i: number): [number, number] => {
    const b = q[0]!,
      m = q[1]!;
    const lpb = -Math.log1p(Math.exp(-q[2]!)); // ln P_b
    const lpg = -Math.log1p(Math.exp(q[2]!)); // ln (1 − P_b)
    const Yb = q[3]!,
      Vb = Math.exp(q[4]!);
    const s2 = sy[i]! * sy[i]!;
    const r = y[i]! - m * x[i]! - b;
    const good = lpg - 0.5 * (LN2PI + Math.log(s2) + (r * r) / s2);
    const v = Vb + s2;
    const d = y[i]! - Yb;
    const bad = lpb - 0.5 * (LN2PI + Math.log(v) + (d * d) / v);
    return [good, bad];
  };
  const negLogL = (q: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const [g, bd] = lnPoints(q, i);
      s -= logAddExp(g, bd);
    }
    return s;
  };
  const wls = fitLeastSquares(polynomialBasis(x, 1), y, { yErr: sy });
  let my = 0;
  for (const v of y) my += v;
  my /= n;
  let vy = 0;
  for (const v of y) vy += (v - my) ** 2;
  vy /= n;
  let best: { x: Float64Array; f: number } | undefined;
  for (const pb of [0.05, 0.2, 0.4]) {
    const start = [wls.coef[0]!, wls.coef[1]!, Math.log(pb / (1 - pb)), my, Math.log(Math.max(vy, 1e-12))];
    const r = minimizeLbfgs(
      (q, g) => {
        g.set(numericGradient(negLogL, q, 1e-7));
        return negLogL(q);
      },
      start,
      { gtol: 1e-7, ftol: 1e-15 },
    );
    if (Number.isFinite(r.f) && (!best || r.f < best.f)) best = { x: r.x, f: r.f };
  }
  if (!best) throw new ValueError('fitLineMixture: the likelihood could not be maximised from any start');
  const q = best.x;
  const H = numericHessian(negLogL, q);
  const C = laplaceCovariance(H, 5);
  const outlierProbability = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [g, bd] = lnPoints(q, i);
    outlierProbability[i] = Math.exp(bd - logAddExp(g, bd));
  }
  return {
    intercept: q[0]!,
    slope: q[1]!,
    interceptErr: Math.sqrt(C[0]!),
    slopeErr: Math.sqrt(C[6]!),
    outlierFraction: 1 / (1 + Math.exp(-q[2]!)),
    outlierMean: q[3]!,
    outlierVariance: Math.exp(q[4]!),
    outlierProbability,
    logLikelihood: -best.f,
  };
}
