import { ValueError } from '@astro/core/errors';
import { quantileSorted } from './quantile.js';

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Bin edges in confidence, (lo, hi]. */
  lo: number;
  hi: number;
  /** Items in the bin. */
  count: number;
  /** Mean confidence of the items (NaN when empty). */
  meanConfidence: number;
  /** Fraction correct (NaN when empty). */
  accuracy: number;
}

/** Binning of confidences: equal-width bins on [0, 1] or equal-mass (quantile) bins. */
export type Binning = 'equal-width' | 'equal-mass';

function check(confidence: readonly number[], correct: readonly boolean[]): void {
  if (confidence.length === 0) throw new ValueError('no items: calibration of 0 predictions is undefined');
  if (confidence.length !== correct.length) {
    throw new ValueError(`confidence has ${confidence.length} entries but correct has ${correct.length}`);
  }
  confidence.forEach((c, i) => {
    if (!(c >= 0 && c <= 1)) throw new ValueError(`confidence[${i}] = ${c} is outside [0, 1]`);
  });
}

/**
 * Reliability-diagram data (DeGroot & Fienberg 1983; Guo et al. 2017). Edges are
 * `linspace(0, 1, bins+1)` for equal width, or the confidence quantiles (linear interpolation)
 * for equal mass; bins are half-open (lo, hi] (the first includes 0) — the same
 * rule as scikit-learn's `calibration_curve` (`strategy='uniform' | 'quantile'`).
 */
export function reliabilityBins(
  confidence: readonly number[],
  correct: readonly boolean[],
  options: { bins?: number; binning?: Binning } = {},
): ReliabilityBin[] {
  check(confidence, correct);
  const nb = options.bins ?? 10;
  if (!(Number.isInteger(nb) && nb >= 1)) throw new ValueError(`bins must be a positive integer, got ${nb}`);
  let edges: number[];
  if ((options.binning ?? 'equal-width') === 'equal-width' || confidence.length === 0) {
    edges = Array.from({ length: nb + 1 }, (_, i) => i / nb);
  } else {
    const s = [...confidence].sort((a, b) => a - b);
    edges = Array.from({ length: nb + 1 }, (_, i) => quantileSorted(s, i / nb));
  }
  const count = new Array<number>(nb).fill(0);
  const sumConf = new Array<number>(nb).fill(0);
  const sumCorrect = new Array<number>(nb).fill(0);
  confidence.forEach((c, j) => {
    // searchsorted(edges[1:-1], c, side='left'): bins are (lo, hi], the first also holds lo
    let b = 0;
    while (b < nb - 1 && c > edges[b + 1]!) b++;
    count[b]!++;
    sumConf[b]! += c;
    if (correct[j]) sumCorrect[b]!++;
  });
  return count.map((k, b) => ({
    lo: edges[b]!,
    hi: edges[b + 1]!,
    count: k,
    meanConfidence: k > 0 ? sumConf[b]! / k : NaN,
    accuracy: k > 0 ? sumCorrect[b]! / k : NaN,
  }));
}

/**
 * Expected calibration error, Σ_b (n_b / N) |acc_b − conf_b| over the bins of
 * {@link reliabilityBins} (Naeini et al. 2015; Guo et al. 2017). Equal-mass binning is the
 * "adaptive" ECE of Nixon et al. 2019.
 */
export function expectedCalibrationError(
  confidence: readonly number[],
  correct: readonly boolean[],
  options: { bins?: number; binning?: Binning } = {},
): number {
  const bins = reliabilityBins(confidence, correct, options);
  const n = confidence.length;
  return bins.reduce((e, b) => (b.count > 0 ? e + (b.count / n) * Math.abs(b.accuracy - b.meanConfidence) : e), 0);
}

/**
 * Multi-class Brier score (Brier 1950): mean over items of Σ_k (p_k − y_k)², where `probs[i]`
 * are the option probabilities of item i and `answer[i]` its correct option. Range [0, 2].
 */
export function brierScore(probs: readonly (readonly number[])[], answer: readonly number[]): number {
  if (probs.length !== answer.length) throw new ValueError(`probs has ${probs.length} rows but answer has ${answer.length}`);
  if (probs.length === 0) throw new ValueError('brierScore: no items');
  let s = 0;
  probs.forEach((p, i) => {
    const a = answer[i]!;
    if (!(Number.isInteger(a) && a >= 0 && a < p.length))
      throw new ValueError(`answer[${i}] = ${a} is not an option index of a ${p.length}-option item`);
    p.forEach((pk, k) => {
      if (!(pk >= 0 && pk <= 1)) throw new ValueError(`probs[${i}][${k}] = ${pk} is not a probability in [0, 1]`);
      s += (pk - (k === a ? 1 : 0)) ** 2;
    });
  });
  return s / probs.length;
}

/** Binary Brier score of confidence against correctness: mean (c_i − 1[correct_i])². */
export function confidenceBrier(confidence: readonly number[], correct: readonly boolean[]): number {
  check(confidence, correct);
  return confidence.reduce((s, c, i) => s + (c - (correct[i] ? 1 : 0)) ** 2, 0) / confidence.length;
}

/**
 * Pearson correlation of confidence with correctness (point-biserial; AstroMLab-1 reports
 * it above 0.9 for the best models when computed over binned accuracy). NaN when either is constant
 * or there are fewer than 2 points (undefined, as `scipy.stats.pearsonr` says); NaN/Inf inputs are a ValueError.
 */
export function pearson(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new ValueError(`x has ${x.length} entries but y has ${y.length}`);
  const n = x.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i]))
      throw new ValueError(`pearson: x[${i}] = ${x[i]}, y[${i}] = ${y[i]}; values must be finite`);
  }
  if (n < 2) return NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}
