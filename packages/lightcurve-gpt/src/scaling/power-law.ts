/**
 * Neural scaling-law fits of loss against parameter count N (Kaplan et al. 2020, eq. 1.1;
 * Hoffmann et al. 2022, eq. 2 with an irreducible term): L = a·N^−α and L = L∞ + a·N^−α,
 * least squares in log L.
 */
import { ShapeError, ValueError } from '@astro/core';

/** A fitted power law L(N) = lInf + a·N^−alpha (lInf = 0 for the pure power law). */
export interface PowerLawFit {
  /** Irreducible loss L∞ (0 for {@link fitPowerLaw}). */
  lInf: number;
  a: number;
  alpha: number;
  /** RMS of log L − log L̂ over the points. */
  rmsLogResidual: number;
}

function check(n: ArrayLike<number>, loss: ArrayLike<number>, min: number, what: string): void {
  if (n.length !== loss.length) throw new ShapeError(`${what}: ${n.length} parameter counts but ${loss.length} losses`);
  if (n.length < min) throw new ValueError(`${what}: need at least ${min} points, got ${n.length}`);
  for (let i = 0; i < n.length; i++) {
    if (!(n[i]! > 0 && Number.isFinite(n[i]!)))
      throw new ValueError(`${what}: parameter count ${n[i]} at index ${i} is not a positive number`);
    if (!(loss[i]! > 0 && Number.isFinite(loss[i]!)))
      throw new ValueError(`${what}: loss ${loss[i]} at index ${i} is not a positive number`);
  }
}

/** Straight-line least squares y = c + s·x; returns [c, s]. */
function line(x: readonly number[], y: readonly number[]): [number, number] {
  const m = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / m;
  const my = y.reduce((a, b) => a + b, 0) / m;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < m; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
  }
  if (!(sxx > 0)) throw new ValueError('power-law fit: all parameter counts are equal');
  const s = sxy / sxx;
  return [my - s * mx, s];
}

function rmsLog(n: ArrayLike<number>, loss: ArrayLike<number>, f: (N: number) => number): number {
  let s = 0;
  for (let i = 0; i < n.length; i++) s += (Math.log(loss[i]!) - Math.log(f(n[i]!))) ** 2;
  return Math.sqrt(s / n.length);
}

/** Pure power law L = a·N^−α: a straight line in log–log (needs ≥ 2 points). */
export function fitPowerLaw(n: ArrayLike<number>, loss: ArrayLike<number>): PowerLawFit {
  check(n, loss, 2, 'fitPowerLaw');
  const [c, s] = line(Array.from(n, Math.log), Array.from(loss, Math.log));
  const a = Math.exp(c);
  return { lInf: 0, a, alpha: -s, rmsLogResidual: rmsLog(n, loss, (N) => a * N ** s) };
}

/**
 * Power law with an irreducible term, L = L∞ + a·N^−α (needs ≥ 3 points): for each trial
 * L∞ ∈ [0, min L) the remainder log(L − L∞) is a line in log N; L∞ minimises the log-L
 * residual (grid, then golden-section refinement).
 */
export function fitPowerLawWithFloor(n: ArrayLike<number>, loss: ArrayLike<number>): PowerLawFit {
  check(n, loss, 3, 'fitPowerLawWithFloor');
  const lx = Array.from(n, Math.log);
  const minL = Math.min(...Array.from(loss));
  const at = (lInf: number): PowerLawFit => {
    const [c, s] = line(
      lx,
      Array.from(loss, (l) => Math.log(l - lInf)),
    );
    const a = Math.exp(c);
    return { lInf, a, alpha: -s, rmsLogResidual: rmsLog(n, loss, (N) => lInf + a * N ** s) };
  };
  const hi = minL * (1 - 1e-9);
  const G = 400;
  let best = 0;
  let bestR = Infinity;
  for (let g = 0; g <= G; g++) {
    const r = at((hi * g) / G).rmsLogResidual;
    if (r < bestR) [best, bestR] = [g, r];
  }
  let lo = (hi * Math.max(0, best - 1)) / G;
  let up = (hi * Math.min(G, best + 1)) / G;
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 100; it++) {
    const x1 = up - phi * (up - lo);
    const x2 = lo + phi * (up - lo);
    if (at(x1).rmsLogResidual <= at(x2).rmsLogResidual) up = x2;
    else lo = x1;
  }
  const fit = at((lo + up) / 2);
  return fit.rmsLogResidual <= bestR ? fit : at((hi * best) / G);
}
