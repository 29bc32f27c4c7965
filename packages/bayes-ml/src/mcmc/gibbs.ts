import { ShapeError, ValueError, assertFinite } from '@astro/core';
import { toRng, type Rng } from '../sampling/rng.js';
import { checkCount, type Chain } from './chain.js';

/**
 * One block update of a Gibbs sampler: draw some coordinates of `state` from their full
 * conditional distribution given the others, writing them into `state` in place.
 */
export type GibbsUpdate = (state: Float64Array, rng: Rng) => void;

/** Options of {@link gibbsSample}. */
export interface GibbsOptions {
  /** Initial state (length nDim). */
  init: ArrayLike<number>;
  /** Block updates applied in order each sweep (systematic scan). */
  updates: GibbsUpdate[];
  /** Sweeps to return. */
  nSamples: number;
  /** Sweeps discarded first (default 0). */
  nWarmup?: number;
  /** Keep every `thin`-th sweep (default 1). */
  thin?: number;
  seed?: number | Rng;
}

/**
 * Systematic-scan Gibbs sampler (Geman & Geman 1984): each sweep applies every block update
 * in turn; the state after each sweep is recorded. Returns a one-chain {@link Chain}.
 * Throws when an update leaves a NaN/Inf in the state.
 */
export function gibbsSample(opts: GibbsOptions): Chain {
  const state = Float64Array.from(opts.init);
  const d = state.length;
  if (d === 0) throw new ShapeError('gibbsSample: init is empty');
  if (opts.updates.length === 0) throw new ValueError('gibbsSample: no updates given');
  assertFinite(state, 'gibbsSample: init');
  const thin = opts.thin ?? 1;
  const nWarmup = opts.nWarmup ?? 0;
  checkCount(opts.nSamples, 1, 'gibbsSample: nSamples');
  checkCount(thin, 1, 'gibbsSample: thin');
  checkCount(nWarmup, 0, 'gibbsSample: nWarmup');
  const rng = toRng(opts.seed);
  const out = new Float64Array(opts.nSamples * d);
  const total = nWarmup + opts.nSamples * thin;
  for (let it = 0; it < total; it++) {
    for (const u of opts.updates) u(state, rng);
    const k = it - nWarmup;
    if (k >= 0 && (k + 1) % thin === 0) {
      for (let i = 0; i < d; i++) {
        if (!Number.isFinite(state[i]!)) throw new ValueError(`gibbsSample: state[${i}] = ${state[i]} after sweep ${it}`);
      }
      out.set(state, ((k + 1) / thin - 1) * d);
    }
  }
  return { data: out, nSteps: opts.nSamples, nWalkers: 1, nDim: d };
}
