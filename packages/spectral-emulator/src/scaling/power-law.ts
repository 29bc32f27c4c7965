import { ShapeError, ValueError } from '@astro/core';

/** A fitted power law L(x) = a·x^(−α), with 1σ uncertainties. */
export interface PowerLawFit {
  /** Amplitude a and exponent α (L falls as x^−α). */
  a: number;
  alpha: number;
  /** 1σ errors of log10 a and of α from the least-squares covariance. */
  log10AErr: number;
  alphaErr: number;
  /** Covariance of (log10 a, −α) — the intercept and slope in log10–log10 space. */
  covariance: [number, number, number, number];
  /** RMS residual in log10 L (dex). */
  rmsDex: number;
  /** Number of points used. */
  n: number;
  /** L at x. */
  predict(x: number): number;
}

/**
 * Fit L = a·x^(−α) by least squares in log10–log10 space (Kaplan et al. 2020; Hoffmann et al.
 * 2022), as `numpy.polyfit(log10 x, log10 L, 1, cov=True)`: with `yErrDex` (1σ of each log10 L) a
 * weighted fit with the covariance from those errors; without, the covariance is scaled by the
 * residual variance RSS/(n − 2).
 * @throws {ShapeError} for fewer than 3 points or mismatched lengths; {@link ValueError} for x or L ≤ 0.
 */
export function fitPowerLaw(x: ArrayLike<number>, loss: ArrayLike<number>, opts: { yErrDex?: ArrayLike<number> } = {}): PowerLawFit {
  const n = x.length;
  if (n !== loss.length) throw new ShapeError(`fitPowerLaw: ${n} x values but ${loss.length} losses`);
  if (n < 3) throw new ShapeError(`fitPowerLaw: need at least 3 points, got ${n}`);
  if (opts.yErrDex && opts.yErrDex.length !== n) throw new ShapeError('fitPowerLaw: yErrDex length differs from x');
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const lx = new Float64Array(n);
  const ly = new Float64Array(n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(x[i]! > 0 && x[i]! < Infinity) || !(loss[i]! > 0 && loss[i]! < Infinity)) {
      throw new ValueError(`fitPowerLaw: x and loss must be positive and finite (point ${i}: ${x[i]}, ${loss[i]})`);
    }
    lx[i] = Math.log10(x[i]!);
    ly[i] = Math.log10(loss[i]!);
    const e = opts.yErrDex ? opts.yErrDex[i]! : 1;
    if (!(e > 0 && e < Infinity)) throw new ValueError(`fitPowerLaw: yErrDex[${i}] must be positive and finite, got ${e}`);
    w[i] = 1 / (e * e);
    sw += w[i]!;
    sx += w[i]! * lx[i]!;
    sy += w[i]! * ly[i]!;
    sxx += w[i]! * lx[i]! * lx[i]!;
    sxy += w[i]! * lx[i]! * ly[i]!;
  }
  const det = sw * sxx - sx * sx;
  if (!(det > 0)) throw new ValueError('fitPowerLaw: all x are equal');
  const slope = (sw * sxy - sx * sy) / det;
  const intercept = (sxx * sy - sx * sxy) / det;
  let rss = 0;
  let rssU = 0;
  for (let i = 0; i < n; i++) {
    const r = ly[i]! - (intercept + slope * lx[i]!);
    rss += w[i]! * r * r;
    rssU += r * r;
  }
  const s2 = opts.yErrDex ? 1 : rss / (n - 2);
  // inverse of [[sxx, sx], [sx, sw]] for (slope, intercept); reorder to (intercept, slope)
  const varSlope = (sw / det) * s2;
  const varIntercept = (sxx / det) * s2;
  const cov = (-sx / det) * s2;
  const a = Math.pow(10, intercept);
  const alpha = -slope;
  return {
    a,
    alpha,
    log10AErr: Math.sqrt(varIntercept),
    alphaErr: Math.sqrt(varSlope),
    covariance: [varIntercept, cov, cov, varSlope],
    rmsDex: Math.sqrt(rssU / n),
    n,
    predict: (v: number) => a * Math.pow(v, -alpha),
  };
}
