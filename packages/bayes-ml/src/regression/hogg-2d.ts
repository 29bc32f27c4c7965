import { minimizeLbfgs, numericGradient } from '@astro/core/linalg';
import { laplaceCovariance, numericHessian } from '../linalg/index.js';
import { checkPoints, type PointsWithErrors } from './data.js';
import { fitLeastSquares } from './least-squares.js';
import { polynomialBasis } from './basis.js';
import { ValueError } from '@astro/core';

/** Options of {@link fitLine2d}. */
export interface Line2dOptions {
  /**
   * Fit an intrinsic Gaussian scatter of variance V orthogonal to the line (Hogg et al. 2010,
   * eq. 35). Default false (eq. 32).
   */
  intrinsicScatter?: boolean;
}

/** Result of {@link fitLine2d}: the maximum-likelihood line and Laplace-approximation errors. */
export interface Line2dFit {
  slope: number;
  intercept: number;
  slopeErr: number;
  interceptErr: number;
  /** Angle θ = atan(slope) of the line (radians). */
  theta: number;
  /** Perpendicular offset b⊥ = intercept · cos θ. */
  bPerp: number;
  /** √V, the orthogonal intrinsic scatter (0 unless `intrinsicScatter`). */
  scatter: number;
  /** Standard error of √V from the Laplace approximation (NaN unless `intrinsicScatter`). */
  scatterErr: number;
  /** Maximised log-likelihood (up to the constant K of eq. 32/35). */
  logLikelihood: number;
  /** Covariance of (intercept, slope). */
  cov: Float64Array;
}

/**
 * The straight-line fit with two-dimensional uncertainties of Hogg, Bovy & Lang (2010,
 * "Data analysis recipes: fitting a model to data", arXiv:1008.4686, §7): with the unit normal
 * v = (−sin θ, cos θ), each point contributes its orthogonal displacement Δᵢ = vᵀZᵢ − b⊥ and
 * projected variance Σᵢ² = vᵀSᵢv, and
 *   ln L = −Σ Δᵢ² / (2Σᵢ²)                                  (eq. 32), or with scatter
 *   ln L = −½ Σ ln(Σᵢ² + V) − Σ Δᵢ² / (2[Σᵢ² + V])          (eq. 35).
 * Maximised by L-BFGS in (θ, b⊥, ln V); errors on (b, m) come from the inverse Hessian
 * (Laplace approximation) mapped through the Jacobian of m = tan θ, b = b⊥ / cos θ. They are NaN
 * when the Hessian is not positive definite (e.g. the best scatter is V → 0, on the boundary).
 */
export function fitLine2d(points: PointsWithErrors, opts: Line2dOptions = {}): Line2dFit {
  const p = checkPoints(points, 'fitLine2d');
  const { n, x, y, sx, sy, rho } = p;
  const scatter = opts.intrinsicScatter ?? false;
  const negLogL = (q: Float64Array): number => {
    const th = q[0]!;
    const bp = q[1]!;
    const V = scatter ? Math.exp(q[2]!) : 0;
    const s = Math.sin(th),
      c = Math.cos(th);
    let nll = 0;
    for (let i = 0; i < n; i++) {
      const d = -s * x[i]! + c * y[i]! - bp;
      const v = s * s * sx[i]! * sx[i]! + c * c * sy[i]! * sy[i]! - 2 * s * c * rho[i]! * sx[i]! * sy[i]! + V;
      nll += (d * d) / (2 * v);
      if (scatter) nll += 0.5 * Math.log(v);
    }
    return nll;
  };
  // Start from the y-error weighted least-squares line.
  const wls = fitLeastSquares(polynomialBasis(x, 1), y, { yErr: sy });
  const th0 = Math.atan(wls.coef[1]!);
  const start = [th0, wls.coef[0]! * Math.cos(th0)];
  if (scatter) {
    let r2 = 0;
    for (let i = 0; i < n; i++) r2 += wls.residuals[i]! ** 2;
    start.push(Math.log(Math.max((r2 / n) * Math.cos(th0) ** 2, 1e-12)));
  }
  const res = minimizeLbfgs(
    (q, g) => {
      g.set(numericGradient(negLogL, q, 1e-7));
      return negLogL(q);
    },
    start,
    { gtol: 1e-8, ftol: 1e-15 },
  );
  if (!Number.isFinite(res.f)) throw new ValueError('fitLine2d: the likelihood could not be evaluated');
  const q = res.x;
  const th = q[0]!,
    bp = q[1]!;
  const k = q.length;
  const H = numericHessian(negLogL, q);
  const C = laplaceCovariance(H, k);
  const sec = 1 / Math.cos(th),
    tan = Math.tan(th);
  // J maps (θ, b⊥) → (b, m).
  const J = [bp * sec * tan, sec, sec * sec, 0];
  const cov = new Float64Array(4);
  for (let a = 0; a < 2; a++)
    for (let b = 0; b < 2; b++) {
      let s = 0;
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += J[a * 2 + i]! * C[i * k + j]! * J[b * 2 + j]!;
      cov[a * 2 + b] = s;
    }
  const V = scatter ? Math.exp(q[2]!) : 0;
  return {
    slope: tan,
    intercept: bp * sec,
    slopeErr: Math.sqrt(cov[3]!),
    interceptErr: Math.sqrt(cov[0]!),
    theta: th,
    bPerp: bp,
    scatter: Math.sqrt(V),
    // d√V/d lnV = √V / 2.
    scatterErr: scatter ? 0.5 * Math.sqrt(V) * Math.sqrt(C[2 * k + 2]!) : NaN,
    logLikelihood: -res.f,
    cov,
  };
}
