/** Order statistics on Float64Arrays used by the preprocessing steps. */

/** Median of `x` (NaN for an empty array). Does not modify `x`. */
export function median(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(x).sort();
  return n % 2 === 1 ? s[(n - 1) / 2]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}

/** Median absolute deviation scaled by 1.4826, a robust estimate of the Gaussian σ. */
export function robustSigma(x: ArrayLike<number>, centre = median(x)): number {
  const d = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) d[i] = Math.abs(x[i]! - centre);
  return 1.4826 * median(d);
}
