/** Random generation and classical Monte Carlo sampling: inverse-CDF, rejection, importance. */
export { Rng, toRng } from './rng.js';
export { sampleInverseCdf, tabulatedDistribution, type TabulatedDistribution } from './inverse-cdf.js';
export { rejectionSample, type Proposal, type RejectionOptions, type RejectionResult } from './rejection.js';
export { importanceWeights, importanceExpectation, type ImportanceWeights } from './importance.js';
export { ksStatistic, normalCdf } from './ks.js';
