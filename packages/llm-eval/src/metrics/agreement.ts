import { ValueError } from '@astro/core/errors';

/**
 * Cohen's kappa for two raters over the same items (Cohen 1960): (p_o − p_e) / (1 − p_e),
 * with p_e from each rater's marginal label frequencies. Labels are compared by value.
 */
export function cohenKappa(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  if (a.length !== b.length) throw new ValueError(`rater a has ${a.length} labels but rater b has ${b.length}`);
  const n = a.length;
  if (n === 0) throw new ValueError('cohenKappa: no items');
  const ca = new Map<string | number, number>();
  const cb = new Map<string | number, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    ca.set(a[i]!, (ca.get(a[i]!) ?? 0) + 1);
    cb.set(b[i]!, (cb.get(b[i]!) ?? 0) + 1);
    if (a[i] === b[i]) agree++;
  }
  const po = agree / n;
  let pe = 0;
  for (const [k, v] of ca) pe += (v / n) * ((cb.get(k) ?? 0) / n);
  return pe === 1 ? (po === 1 ? 1 : NaN) : (po - pe) / (1 - pe);
}

/**
 * Fleiss' kappa for a fixed number of ratings per item (Fleiss 1971). `ratings[i]` holds the
 * labels the repeated judgements gave item i; every item must have the same count (≥ 2).
 */
export function fleissKappa(ratings: readonly (readonly (string | number)[])[]): number {
  const N = ratings.length;
  if (N === 0) throw new ValueError('fleissKappa: no items');
  const n = ratings[0]!.length;
  if (n < 2) throw new ValueError('Fleiss kappa needs at least 2 ratings per item');
  const totals = new Map<string | number, number>();
  let sumP = 0;
  ratings.forEach((r, i) => {
    if (r.length !== n) throw new ValueError(`item ${i} has ${r.length} ratings; expected ${n} like item 0`);
    const counts = new Map<string | number, number>();
    for (const lab of r) counts.set(lab, (counts.get(lab) ?? 0) + 1);
    let s = 0;
    for (const [lab, c] of counts) {
      s += c * (c - 1);
      totals.set(lab, (totals.get(lab) ?? 0) + c);
    }
    sumP += s / (n * (n - 1));
  });
  const pBar = sumP / N;
  let pe = 0;
  for (const c of totals.values()) pe += (c / (N * n)) ** 2;
  return pe === 1 ? (pBar === 1 ? 1 : NaN) : (pBar - pe) / (1 - pe);
}

/** Fraction of items on which all repeated judgements agree exactly. */
export function unanimity(ratings: readonly (readonly (string | number)[])[]): number {
  if (ratings.length === 0) throw new ValueError('unanimity: no items');
  return ratings.filter((r) => r.every((x) => x === r[0])).length / ratings.length;
}
