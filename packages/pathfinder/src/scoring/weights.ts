/**
 * Pathfinder's re-weighting factors (Iyer et al. 2024, arXiv:2408.01556), ported from its
 * public code as pure functions. Each returns one weight per record, scaled so the largest is
 * (close to) 1.
 */

/**
 * Time weight: with age a = currentYear − year (years), w = 1 / (1 + exp(a / scaleYears)),
 * divided by max(w) + 1e-8. With Pathfinder's scale of 0.7 yr the weight falls by e per
 * 0.7 yr of age, so it acts as a recency sort; a larger scale flattens it.
 */
export function timeWeights(years: ArrayLike<number>, currentYear: number, scaleYears = 0.7): Float64Array {
  const w = new Float64Array(years.length);
  let max = 0;
  for (let i = 0; i < years.length; i++) {
    const a = currentYear - years[i]!;
    w[i] = 1 / (1 + Math.exp(a / scaleYears));
    if (w[i]! > max) max = w[i]!;
  }
  for (let i = 0; i < w.length; i++) w[i] = w[i]! / (max + 1e-8);
  return w;
}

/**
 * Citation weight: c clipped at `clip` (300), w = 1 / (1 + exp((clip − c) / 42)), divided by
 * the maximum. Papers with ≳ 300 citations all get ≈ 1; the weight halves near c ≈ 270.
 */
export function citationWeights(citations: ArrayLike<number>, clip = 300, scale = 42): Float64Array {
  const w = new Float64Array(citations.length);
  let max = 0;
  for (let i = 0; i < citations.length; i++) {
    const c = Math.min(citations[i]!, clip);
    w[i] = 1 / (1 + Math.exp((clip - c) / scale));
    if (w[i]! > max) max = w[i]!;
  }
  if (max > 0) for (let i = 0; i < w.length; i++) w[i] = w[i]! / max;
  return w;
}
