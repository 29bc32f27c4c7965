/** Gradient-based MCMC: HMC and NUTS with dual-averaging step size and diagonal mass adaptation. */
export type { LogProbGrad } from './types.js';
export { hmc, nuts, type HamiltonianOptions, type HamiltonianResult, type HmcOptions, type NutsOptions } from './sampler.js';
export { tfjsLogProbGrad } from './autodiff.js';
export { DualAveraging } from './dual-averaging.js';
