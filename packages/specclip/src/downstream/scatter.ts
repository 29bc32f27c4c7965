import { ValueError } from '@astro/core';

/**
 * Robust scatter 1.4826 · median(|x − median(x)|) (the MAD scaled to σ for a Gaussian).
 * NaN values are rejected. @throws {ValueError} for an empty or non-finite input.
 */
export function robustScatter(x: ArrayLike<number>): number {
  if (x.length === 0) throw new ValueError('robustScatter: empty input');
  const v = Float64Array.from(x);
  for (const a of v) if (!Number.isFinite(a)) throw new ValueError(`robustScatter: input contains ${a}`);
  const med = (a: Float64Array): number => {
    const s = a.slice().sort();
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
  };
  const m = med(v);
  return 1.4826 * med(v.map((a) => Math.abs(a - m)));
}
