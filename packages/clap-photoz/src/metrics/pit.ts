import { ShapeError, ValueError } from '@astro/core';
import { assertOnGrid, cdfAt, cdfRow, type PdfSet } from '../pdf/grid.js';

/**
 * Probability integral transform of each galaxy: PIT_i = CDF_i(z_spec,i) (Dawid 1984; qp's PIT).
 * A calibrated ensemble gives PIT ~ U(0,1).
 * @throws {ShapeError} if zSpec.length ≠ m. @throws {ValueError} if a z_spec is off the grid.
 */
export function pit(set: PdfSet, zSpec: ArrayLike<number>): Float64Array {
  if (zSpec.length !== set.m) throw new ShapeError(`pit: ${set.m} PDFs but ${zSpec.length} redshifts`);
  assertOnGrid(set.grid, zSpec);
  const out = new Float64Array(set.m);
  const cum = new Float64Array(set.grid.n);
  for (let i = 0; i < set.m; i++) {
    cdfRow(set, i, cum);
    out[i] = Math.min(1, Math.max(0, cdfAt(set, i, zSpec[i]!, cum)));
  }
  return out;
}

function sortedUnit(u: ArrayLike<number>, what: string): Float64Array {
  if (u.length === 0) throw new ShapeError(`${what}: no values`);
  const s = Float64Array.from(u).sort();
  if (!(s[0]! >= 0) || !(s[s.length - 1]! <= 1)) throw new ValueError(`${what}: values must lie in [0, 1]`);
  return s;
}

/** Kolmogorov–Smirnov statistic D = sup |F_n(u) − u| of the values against U(0,1) (scipy.stats.kstest). */
export function ksUniform(u: ArrayLike<number>): number {
  const s = sortedUnit(u, 'ksUniform');
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, (i + 1) / n - s[i]!, s[i]! - i / n);
  return d;
}

/** Cramér–von Mises statistic W² = 1/(12n) + Σ ((2i−1)/(2n) − u₍ᵢ₎)² against U(0,1) (scipy.stats.cramervonmises). */
export function cvmUniform(u: ArrayLike<number>): number {
  const s = sortedUnit(u, 'cvmUniform');
  const n = s.length;
  let w = 1 / (12 * n);
  for (let i = 0; i < n; i++) w += ((2 * i + 1) / (2 * n) - s[i]!) ** 2;
  return w;
}

/**
 * Anderson–Darling statistic A² = −n − (1/n) Σ (2i−1)[ln u₍ᵢ₎ + ln(1 − u₍ₙ₊₁₋ᵢ₎)] against U(0,1)
 * (scipy.stats.goodness_of_fit with statistic='ad'). Values are clipped to [1e-10, 1 − 1e-10] so a
 * PIT of exactly 0 or 1 (z_spec outside the PDF's support) gives a large finite A² instead of ∞.
 */
export function adUniform(u: ArrayLike<number>): number {
  const s = sortedUnit(u, 'adUniform');
  const n = s.length;
  const c = (v: number): number => Math.min(1 - 1e-10, Math.max(1e-10, v));
  let a = 0;
  for (let i = 0; i < n; i++) a += (2 * i + 1) * (Math.log(c(s[i]!)) + Math.log(1 - c(s[n - 1 - i]!)));
  return -n - a / n;
}

/** 1-Wasserstein distance ∫₀¹ |F_n(u) − u| du between the empirical distribution of the values and U(0,1) (scipy.stats.wasserstein_distance). */
export function w1Uniform(u: ArrayLike<number>): number {
  const s = sortedUnit(u, 'w1Uniform');
  const n = s.length;
  // ∫ over [s_{i-1}, s_i] of |i/n − u| du, with s_{-1} = 0, s_n = 1.
  let w = 0;
  let prev = 0;
  for (let i = 0; i <= n; i++) {
    const next = i < n ? s[i]! : 1;
    const f = i / n;
    w += absIntegral(prev, next, f);
    prev = next;
  }
  return w;
}

/** ∫_a^b |f − u| du. */
function absIntegral(a: number, b: number, f: number): number {
  if (b <= a) return 0;
  if (f <= a) return 0.5 * ((b - f) ** 2 - (a - f) ** 2);
  if (f >= b) return 0.5 * ((f - a) ** 2 - (f - b) ** 2);
  return 0.5 * ((f - a) ** 2 + (b - f) ** 2);
}

/** Normalised PIT histogram (density per bin, mean 1 for a calibrated ensemble) with `bins` equal bins on [0,1]. */
export function pitHistogram(u: ArrayLike<number>, bins = 20): Float64Array {
  const h = new Float64Array(bins);
  for (let i = 0; i < u.length; i++) h[Math.min(bins - 1, Math.floor(u[i]! * bins))]! += 1;
  for (let b = 0; b < bins; b++) h[b] = (h[b]! * bins) / u.length;
  return h;
}

/**
 * Coverage of central credible intervals: for each level c, the fraction of galaxies whose z_spec
 * falls inside the central c interval of its PDF, i.e. |PIT − ½| < c/2. Calibrated PDFs give ≈ c.
 */
export function coverage(u: ArrayLike<number>, levels: readonly number[] = [0.68, 0.95]): number[] {
  return levels.map((c) => {
    let k = 0;
    for (let i = 0; i < u.length; i++) if (Math.abs(u[i]! - 0.5) < c / 2) k++;
    return k / u.length;
  });
}
