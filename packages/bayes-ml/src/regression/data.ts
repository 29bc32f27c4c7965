import { ShapeError, ValueError } from '@astro/core';
import { broadcastPositive, toVector } from '../linalg/index.js';

/**
 * Points with measurement uncertainties, in the notation of Hogg, Bovy & Lang (2010):
 * each point has x, y, 1σ errors σx and σy, and the correlation ρxy of its error ellipse,
 * S_i = [[σx², ρσxσy], [ρσxσy, σy²]].
 */
export interface PointsWithErrors {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** 1σ uncertainty of y (same units as y), per point or one for all. */
  sigmaY: number | ArrayLike<number>;
  /** 1σ uncertainty of x (default 0: x known exactly). */
  sigmaX?: number | ArrayLike<number>;
  /** Correlation of the x and y errors, −1 < ρ < 1 (default 0). */
  rhoXY?: number | ArrayLike<number>;
}

/** Validated float64 copy of {@link PointsWithErrors}. */
export interface CheckedPoints {
  n: number;
  x: Float64Array;
  y: Float64Array;
  sx: Float64Array;
  sy: Float64Array;
  rho: Float64Array;
}

/** Validate and copy points with errors. @throws ShapeError / ValueError naming the bad field. */
export function checkPoints(p: PointsWithErrors, what: string): CheckedPoints {
  const x = toVector(p.x, `${what}: x`);
  const n = x.length;
  if (n < 2) throw new ShapeError(`${what}: need at least 2 points, got ${n}`);
  const y = toVector(p.y, `${what}: y`, n);
  const sy = broadcastPositive(p.sigmaY, n, `${what}: sigmaY`);
  let sx: Float64Array;
  if (p.sigmaX === undefined) sx = new Float64Array(n);
  else {
    sx = typeof p.sigmaX === 'number' ? new Float64Array(n).fill(p.sigmaX) : toVector(p.sigmaX, `${what}: sigmaX`, n);
    for (let i = 0; i < n; i++) if (!(sx[i]! >= 0)) throw new ValueError(`${what}: sigmaX must be ≥ 0, got ${sx[i]} at index ${i}`);
  }
  const rho =
    p.rhoXY === undefined
      ? new Float64Array(n)
      : typeof p.rhoXY === 'number'
        ? new Float64Array(n).fill(p.rhoXY)
        : toVector(p.rhoXY, `${what}: rhoXY`, n);
  for (let i = 0; i < n; i++) {
    if (!(Math.abs(rho[i]!) < 1)) throw new ValueError(`${what}: rhoXY must lie in (−1, 1), got ${rho[i]} at index ${i}`);
  }
  return { n, x, y, sx, sy, rho };
}
