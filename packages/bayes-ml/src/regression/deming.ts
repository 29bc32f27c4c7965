import { ShapeError, ValueError } from '@astro/core';
import { broadcastPositive, toVector } from '../linalg/index.js';

/** A straight line y = intercept + slope·x with standard errors. */
export interface LineFit {
  slope: number;
  intercept: number;
  slopeErr: number;
  interceptErr: number;
  /** Covariance of (intercept, slope). */
  covInterceptSlope: number;
}

function meanOf(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}

/**
 * Deming regression (errors in both coordinates, homoscedastic): the maximum-likelihood line when
 * every point has the same x and y error variances with ratio δ = σ_y² / σ_x² (Deming 1943;
 * δ = 1 is orthogonal regression). Closed form:
 * slope = [s_yy − δ s_xx + √((s_yy − δ s_xx)² + 4 δ s_xy²)] / (2 s_xy).
 * Standard errors are the large-sample values of Fuller (1987, *Measurement Error Models*, Thm 1.3.1).
 * @throws ShapeError on length mismatch or n < 3; ValueError on NaN/Inf, δ ≤ 0 or s_xy = 0.
 */
export function demingRegression(x: ArrayLike<number>, y: ArrayLike<number>, opts: { delta?: number } = {}): LineFit {
  const xs = toVector(x, 'demingRegression: x');
  const ys = toVector(y, 'demingRegression: y', xs.length);
  const n = xs.length;
  if (n < 3) throw new ShapeError(`demingRegression: need at least 3 points, got ${n}`);
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new ValueError(`demingRegression: delta must be > 0, got ${delta}`);
  const mx = meanOf(xs);
  const my = meanOf(ys);
  let sxx = 0,
    syy = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  sxx /= n - 1;
  syy /= n - 1;
  sxy /= n - 1;
  if (sxy === 0) throw new ValueError('demingRegression: x and y are uncorrelated (s_xy = 0); the slope is undefined');
  const d = syy - delta * sxx;
  const root = Math.sqrt(d * d + 4 * delta * sxy * sxy);
  // Two algebraically equal forms; pick the one without cancellation (d ≪ 0 when δ is large).
  const slope = d >= 0 ? (d + root) / (2 * sxy) : (2 * delta * sxy) / (root - d);
  const intercept = my - slope * mx;
  // Fuller (1987), Theorem 1.3.1: var(β̂) ≈ [σ̂_vv / m̂_xx + (σ̂_uu σ̂_vv − σ̂_uv²) / m̂_xx²] / (n − 1),
  // with u the x error, v = e − βu, σ̂_uu = var(y − βx)/(δ + β²), m̂_xx = s_xy / β the true-x variance.
  const sigmaUU = (syy - 2 * slope * sxy + slope * slope * sxx) / (delta + slope * slope);
  const mxx = sxy / slope;
  const sigmaVV = sigmaUU * (delta + slope * slope);
  const sigmaUV = -slope * sigmaUU;
  const varSlope = (sigmaVV / mxx + (sigmaUU * sigmaVV - sigmaUV * sigmaUV) / (mxx * mxx)) / (n - 1);
  const varIntercept = sigmaVV / n + mx * mx * varSlope;
  return {
    slope,
    intercept,
    slopeErr: Math.sqrt(Math.max(varSlope, 0)),
    interceptErr: Math.sqrt(Math.max(varIntercept, 0)),
    covInterceptSlope: -mx * varSlope,
  };
}

/** Options of {@link yorkFit}. */
export interface YorkOptions {
  /** Correlation coefficients ρ_xy of each point's x and y errors (default 0). */
  rhoXY?: number | ArrayLike<number>;
  /** Convergence tolerance on the relative slope change (default 1e-15). */
  tol?: number;
  /** Maximum iterations (default 100). */
  maxIterations?: number;
}

/**
 * Heteroscedastic Deming / York regression: the maximum-likelihood straight line through points
 * with individual, possibly correlated x and y errors (York 1966; York, Evensen, Martínez López
 * & De Basabe Delgado 2004, Am. J. Phys. 72, 367, §III, including their standard errors).
 * For uncorrelated errors the line equals the orthogonal-distance-regression (ODR) solution.
 * @throws ShapeError / ValueError on bad lengths, NaN/Inf, non-positive σ or |ρ| ≥ 1.
 */
export function yorkFit(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  xErr: number | ArrayLike<number>,
  yErr: number | ArrayLike<number>,
  opts: YorkOptions = {},
): LineFit & { iterations: number; chi2: number } {
  const X = toVector(x, 'yorkFit: x');
  const n = X.length;
  const Y = toVector(y, 'yorkFit: y', n);
  if (n < 3) throw new ShapeError(`yorkFit: need at least 3 points, got ${n}`);
  const sx = broadcastPositive(xErr, n, 'yorkFit: xErr');
  const sy = broadcastPositive(yErr, n, 'yorkFit: yErr');
  const r =
    typeof opts.rhoXY === 'number'
      ? new Float64Array(n).fill(opts.rhoXY)
      : opts.rhoXY
        ? toVector(opts.rhoXY, 'yorkFit: rhoXY', n)
        : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(Math.abs(r[i]!) < 1)) throw new ValueError(`yorkFit: |rhoXY| must be < 1, got ${r[i]} at index ${i}`);
  }
  const wx = Float64Array.from(sx, (s) => 1 / (s * s));
  const wy = Float64Array.from(sy, (s) => 1 / (s * s));
  const tol = opts.tol ?? 1e-15;
  const maxIt = opts.maxIterations ?? 100;
  // Start from unweighted OLS.
  let b: number;
  {
    let mx = 0,
      my = 0;
    for (let i = 0; i < n; i++) {
      mx += X[i]!;
      my += Y[i]!;
    }
    mx /= n;
    my /= n;
    let sxy = 0,
      sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (X[i]! - mx) * (Y[i]! - my);
      sxx += (X[i]! - mx) ** 2;
    }
    b = sxy / sxx;
  }
  const W = new Float64Array(n);
  const beta = new Float64Array(n);
  let xbar = 0,
    ybar = 0,
    sumW = 0;
  let it = 0;
  for (; it < maxIt; it++) {
    sumW = 0;
    xbar = 0;
    ybar = 0;
    for (let i = 0; i < n; i++) {
      const alpha = Math.sqrt(wx[i]! * wy[i]!);
      W[i] = (wx[i]! * wy[i]!) / (wx[i]! + b * b * wy[i]! - 2 * b * r[i]! * alpha);
      sumW += W[i]!;
      xbar += W[i]! * X[i]!;
      ybar += W[i]! * Y[i]!;
    }
    xbar /= sumW;
    ybar /= sumW;
    let num = 0,
      den = 0;
    for (let i = 0; i < n; i++) {
      const U = X[i]! - xbar,
        V = Y[i]! - ybar;
      const alpha = Math.sqrt(wx[i]! * wy[i]!);
      beta[i] = W[i]! * (U / wy[i]! + (b * V) / wx[i]! - ((b * U + V) * r[i]!) / alpha);
      num += W[i]! * beta[i]! * V;
      den += W[i]! * beta[i]! * U;
    }
    const bNew = num / den;
    const done = Math.abs(bNew - b) <= tol * Math.abs(bNew);
    b = bNew;
    if (done) break;
  }
  // Recompute weights at the final slope, then York et al. (2004) eqs. (13)–(15) for the errors.
  sumW = 0;
  xbar = 0;
  ybar = 0;
  for (let i = 0; i < n; i++) {
    const alpha = Math.sqrt(wx[i]! * wy[i]!);
    W[i] = (wx[i]! * wy[i]!) / (wx[i]! + b * b * wy[i]! - 2 * b * r[i]! * alpha);
    sumW += W[i]!;
    xbar += W[i]! * X[i]!;
    ybar += W[i]! * Y[i]!;
  }
  xbar /= sumW;
  ybar /= sumW;
  const a = ybar - b * xbar;
  let xadj = 0;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const U = X[i]! - xbar,
      V = Y[i]! - ybar;
    const alpha = Math.sqrt(wx[i]! * wy[i]!);
    beta[i] = W[i]! * (U / wy[i]! + (b * V) / wx[i]! - ((b * U + V) * r[i]!) / alpha);
    xs[i] = xbar + beta[i]!;
    xadj += W[i]! * xs[i]!;
  }
  xadj /= sumW;
  let su = 0;
  for (let i = 0; i < n; i++) su += W[i]! * (xs[i]! - xadj) ** 2;
  const varB = 1 / su;
  const varA = 1 / sumW + xadj * xadj * varB;
  let chi2 = 0;
  for (let i = 0; i < n; i++) chi2 += W[i]! * (Y[i]! - b * X[i]! - a) ** 2;
  return {
    slope: b,
    intercept: a,
    slopeErr: Math.sqrt(varB),
    interceptErr: Math.sqrt(varA),
    covInterceptSlope: -xadj * varB,
    iterations: it + 1,
    chi2,
  };
}
