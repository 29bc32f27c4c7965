import { ValueError } from '@astro/core';
import { lnGamma } from '../template/prior.js';

/**
 * Regularised lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a) for a > 0, x ≥ 0:
 * the series for x < a + 1 and Lentz's continued fraction for Q = 1 − P otherwise
 * (Numerical Recipes §6.2; relative accuracy ~1e-14). The fraction of a Sérsic profile's
 * light inside radius R is P(2n, b_n (R/r_e)^{1/n}).
 * @throws {ValueError} if a ≤ 0 or x < 0.
 */
export function gammaP(a: number, x: number): number {
  if (!(a > 0)) throw new ValueError(`gammaP: a must be > 0, got ${a}`);
  if (!(x >= 0)) throw new ValueError(`gammaP: x must be ≥ 0, got ${x}`);
  if (x === 0) return 0;
  const lnPre = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let k = 1; k < 1000; k++) {
      term *= x / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.exp(lnPre) * sum;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return 1 - Math.exp(lnPre) * h;
}
