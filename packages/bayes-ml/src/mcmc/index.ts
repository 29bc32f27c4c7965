/**
 * Markov chain Monte Carlo in float64: emcee's affine-invariant ensemble sampler (stretch and
 * differential-evolution moves), adaptive Metropolis, Gibbs, HMC and NUTS, and diagnostics
 * (emcee's autocorrelation time, split-R̂, ESS, Geweke).
 */
export { type Chain, chainFromArrays, chainFromSeries, chainSeries } from './chain.js';
export { AutocorrError } from './errors.js';
export type { SamplerProgress, ProgressOption } from './progress.js';
export {
  EnsembleSampler,
  type EnsembleSamplerOptions,
  type EnsembleRunOptions,
  type EnsembleLogProb,
  type EnsembleLogProbBatch,
  type LogProbWithBlob,
  type ChainSelection,
  type FlatChain,
} from './ensemble/sampler.js';
export { StretchMove, DEMove, type EnsembleMove } from './ensemble/moves.js';
export { ensembleConditionNumber } from './ensemble/independence.js';
export { adaptiveMetropolis, type AdaptiveMetropolisOptions, type MetropolisResult } from './metropolis.js';
export { gibbsSample, type GibbsOptions, type GibbsUpdate } from './gibbs.js';
export * from './hamiltonian/index.js';
export * from './diagnostics/index.js';
