import { ShapeError, ValueError, assertFinite } from '@astro/core';

/**
 * MCMC samples stored flat in float64, step-major: element (step t, walker/chain k, parameter d)
 * is `data[(t * nWalkers + k) * nDim + d]`. This is emcee's `get_chain()` layout, [nSteps, nWalkers, nDim].
 */
export interface Chain {
  readonly data: Float64Array;
  readonly nSteps: number;
  readonly nWalkers: number;
  readonly nDim: number;
}

/**
 * Throw a {@link ShapeError} unless `chain` is a {@link Chain} whose sizes are non-negative integers
 * and whose data holds exactly nSteps × nWalkers × nDim values, and a `ValueError` on NaN/±Inf.
 */
export function checkChain(chain: Chain, what: string): void {
  if (typeof chain !== 'object' || chain === null || !(chain.data instanceof Float64Array)) {
    throw new ShapeError(`${what}: expected a Chain { data: Float64Array, nSteps, nWalkers, nDim }`);
  }
  const { nSteps, nWalkers, nDim, data } = chain;
  for (const [k, v] of [
    ['nSteps', nSteps],
    ['nWalkers', nWalkers],
    ['nDim', nDim],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ShapeError(`${what}: ${k} must be an integer ≥ 0, got ${v}`);
  }
  if (nWalkers < 1 || nDim < 1) throw new ShapeError(`${what}: needs nWalkers ≥ 1 and nDim ≥ 1, got ${nWalkers} and ${nDim}`);
  if (data.length !== nSteps * nWalkers * nDim) {
    throw new ShapeError(`${what}: data has ${data.length} values, nSteps × nWalkers × nDim = ${nSteps * nWalkers * nDim}`);
  }
  assertFinite(data, `${what}: chain`);
}

/** Throw a `ValueError` unless `v` is an integer ≥ `min`. */
export function checkCount(v: number, min: number, what: string): void {
  if (!Number.isInteger(v) || v < min) throw new ValueError(`${what} must be an integer ≥ ${min}, got ${v}`);
}

/** Wrap per-chain sample arrays (`chains[k][t][d]`, e.g. from independent HMC runs) as a {@link Chain}. */
export function chainFromArrays(chains: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>): Chain {
  const nWalkers = chains.length;
  if (nWalkers === 0) throw new ShapeError('chainFromArrays needs at least one chain');
  const nSteps = chains[0]!.length;
  const nDim = nSteps > 0 ? chains[0]![0]!.length : 0;
  const data = new Float64Array(nSteps * nWalkers * nDim);
  chains.forEach((c, k) => {
    if (c.length !== nSteps) throw new ShapeError(`chain ${k} has ${c.length} steps, chain 0 has ${nSteps}`);
    c.forEach((x, t) => {
      if (x.length !== nDim) throw new ShapeError(`chain ${k} step ${t} has ${x.length} parameters, expected ${nDim}`);
      for (let d = 0; d < nDim; d++) data[(t * nWalkers + k) * nDim + d] = x[d]!;
    });
  });
  return { data, nSteps, nWalkers, nDim };
}

/** Wrap one 1-D series (one chain, one parameter) as a {@link Chain}. */
export function chainFromSeries(x: ArrayLike<number>): Chain {
  return { data: Float64Array.from(x), nSteps: x.length, nWalkers: 1, nDim: 1 };
}

/** Samples of parameter `d` of walker/chain `k`, as a new array of length nSteps. */
export function chainSeries(chain: Chain, k: number, d: number): Float64Array {
  const { nSteps, nWalkers, nDim, data } = chain;
  if (k < 0 || k >= nWalkers || d < 0 || d >= nDim) {
    throw new ShapeError(`chainSeries: walker ${k} / parameter ${d} out of range [${nWalkers}, ${nDim}]`);
  }
  const out = new Float64Array(nSteps);
  for (let t = 0; t < nSteps; t++) out[t] = data[(t * nWalkers + k) * nDim + d]!;
  return out;
}
