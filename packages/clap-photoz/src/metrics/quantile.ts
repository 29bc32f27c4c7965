/** Quantile q ∈ [0,1] of sorted values by linear interpolation (numpy's default, Hyndman–Fan type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Median of the values (type-7 quantile 0.5); the input is not modified. */
export function median(x: ArrayLike<number>): number {
  return quantileSorted(Float64Array.from(x).sort(), 0.5);
}
