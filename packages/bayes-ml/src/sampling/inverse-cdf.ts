import { ShapeError, ValueError, assertFinite } from '@astro/core';
import { toRng, type Rng, uniformOpen } from './rng.js';

/**
 * Draw `n` samples by inverse-transform sampling: x = F⁻¹(u), u ~ U(0, 1).
 * `quantile` is the inverse CDF (percent-point function) of the target.
 */
export function sampleInverseCdf(quantile: (u: number) => number, n: number, rng?: Rng | number): Float64Array {
  const r = toRng(rng);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = quantile(uniformOpen(r));
    if (!Number.isFinite(x)) throw new ValueError(`quantile returned ${x} at draw ${i}`);
    out[i] = x;
  }
  return out;
}

/** A piecewise-linear inverse CDF built from a density tabulated on a grid. */
export interface TabulatedDistribution {
  /** Grid abscissae (increasing), in the units of the variable. */
  readonly x: Float64Array;
  /** Normalised CDF at each grid point (0 at the first, 1 at the last). */
  readonly cdf: Float64Array;
  /** Inverse CDF by linear interpolation of the tabulated CDF. */
  quantile(u: number): number;
  /** Draw `n` samples. */
  sample(n: number, rng?: Rng | number): Float64Array;
}

/**
 * Build an inverse-CDF sampler from an unnormalised density `pdf` tabulated at increasing
 * grid points `x` (trapezoid-rule CDF; exact for densities linear between grid points up to
 * the quantile interpolation). Throws on unsorted grids, negative or non-finite densities.
 */
export function tabulatedDistribution(x: ArrayLike<number>, pdf: ArrayLike<number>): TabulatedDistribution {
  const n = x.length;
  if (n < 2) throw new ShapeError(`tabulatedDistribution needs at least 2 grid points, got ${n}`);
  if (pdf.length !== n) throw new ShapeError(`pdf has length ${pdf.length}, grid has ${n}`);
  assertFinite(x, 'grid x');
  assertFinite(pdf, 'pdf');
  const xs = Float64Array.from(x);
  const cdf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (pdf[i]! < 0) throw new ValueError(`pdf is negative (${pdf[i]}) at index ${i}`);
    if (i > 0) {
      const dx = xs[i]! - xs[i - 1]!;
      if (!(dx > 0)) throw new ValueError(`grid x must be strictly increasing (index ${i})`);
      cdf[i] = cdf[i - 1]! + 0.5 * dx * (pdf[i]! + pdf[i - 1]!);
    }
  }
  const total = cdf[n - 1]!;
  if (!(total > 0)) throw new ValueError('pdf integrates to zero over the grid');
  for (let i = 0; i < n; i++) cdf[i] = cdf[i]! / total;
  const quantile = (u: number): number => {
    if (!(u >= 0 && u <= 1)) throw new ValueError(`quantile needs u in [0, 1], got ${u}`);
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! <= u) lo = mid;
      else hi = mid;
    }
    const c0 = cdf[lo]!;
    const c1 = cdf[hi]!;
    const t = c1 > c0 ? (u - c0) / (c1 - c0) : 0;
    return xs[lo]! + t * (xs[hi]! - xs[lo]!);
  };
  return {
    x: xs,
    cdf,
    quantile,
    sample: (m, rng) => sampleInverseCdf(quantile, m, rng),
  };
}
