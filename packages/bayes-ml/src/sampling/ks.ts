import { ShapeError, assertFinite } from '@astro/core';

/**
 * Standard normal CDF Φ(x) by Marsaglia's (2004) Taylor series Φ(x) = ½ + φ(x)·Σ x^(2k+1)/(1·3·…·(2k+1)),
 * absolute error ~1e-15 for |x| ≤ 8; beyond that the Mills-ratio asymptote (|Φ| tails < 1e-15).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < -8 || x > 8) {
    const z = Math.abs(x);
    const tail = (Math.exp(-0.5 * z * z) / (z * Math.sqrt(2 * Math.PI))) * (1 - 1 / (z * z) + 3 / z ** 4);
    return x < 0 ? tail : 1 - tail;
  }
  let s = x;
  let t = 0;
  let b = x;
  const q = x * x;
  let i = 1;
  while (s !== t) {
    t = s;
    i += 2;
    b *= q / i;
    s = t + b;
  }
  return 0.5 + s * Math.exp(-0.5 * q - 0.91893853320467274178);
}

/**
 * One-sample Kolmogorov–Smirnov statistic D = sup |F_n(x) − F(x)| of `samples` against the
 * continuous CDF `cdf` (default: standard normal), as in `scipy.stats.kstest`.
 */
export function ksStatistic(samples: ArrayLike<number>, cdf: (x: number) => number = normalCdf): number {
  const n = samples.length;
  if (n === 0) throw new ShapeError('ksStatistic needs at least one sample');
  assertFinite(samples, 'samples');
  const x = Float64Array.from(samples).sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(x[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}
