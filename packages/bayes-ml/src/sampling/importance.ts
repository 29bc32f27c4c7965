import { ShapeError, ValueError } from '@astro/core';

/** Normalised importance weights and their diagnostics. */
export interface ImportanceWeights {
  /** Self-normalised weights wᵢ ∝ p̃(xᵢ)/q(xᵢ), summing to 1. */
  weights: Float64Array;
  /** Kish effective sample size 1 / Σ wᵢ² (between 1 and n). */
  ess: number;
  /** log of the mean unnormalised weight: an estimate of log Z = log ∫ p̃ when q is normalised. */
  logEvidence: number;
}

/**
 * Self-normalised importance weights from log target and log proposal densities at the
 * same n draws (computed stably via log-sum-exp), with Kish's effective sample size
 * ESS = (Σw)²/Σw² (Kish 1965; Owen 2013, ch. 9).
 */
export function importanceWeights(logTarget: ArrayLike<number>, logProposal: ArrayLike<number>): ImportanceWeights {
  const n = logTarget.length;
  if (n === 0) throw new ShapeError('importanceWeights needs at least one draw');
  if (logProposal.length !== n) throw new ShapeError(`logProposal has length ${logProposal.length}, expected ${n}`);
  const logw = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = logTarget[i]!;
    const q = logProposal[i]!;
    if (Number.isNaN(t) || t === Infinity) throw new ValueError(`logTarget[${i}] = ${t}`);
    if (!Number.isFinite(q)) throw new ValueError(`logProposal[${i}] = ${q}: the proposal must cover every draw`);
    logw[i] = t - q;
    if (logw[i]! > max) max = logw[i]!;
  }
  if (max === -Infinity) throw new ValueError('every importance weight is zero');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logw[i]! - max);
  const weights = new Float64Array(n);
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const w = Math.exp(logw[i]! - max) / sum;
    weights[i] = w;
    sumSq += w * w;
  }
  return { weights, ess: 1 / sumSq, logEvidence: max + Math.log(sum / n) };
}

/** Weighted mean Σ wᵢ f(xᵢ) of a function over importance-weighted draws. */
export function importanceExpectation(samples: ArrayLike<number>, weights: ArrayLike<number>, f: (x: number) => number = (x) => x): number {
  if (samples.length !== weights.length) {
    throw new ShapeError(`samples (${samples.length}) and weights (${weights.length}) differ in length`);
  }
  let s = 0;
  for (let i = 0; i < samples.length; i++) s += weights[i]! * f(samples[i]!);
  return s;
}
