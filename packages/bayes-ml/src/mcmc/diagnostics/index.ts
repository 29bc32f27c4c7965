/** MCMC convergence diagnostics: autocorrelation time (emcee), split-R̂, ESS, Geweke. */
export { autocorrFunction, integratedTime, type IntegratedTimeOptions } from './autocorr.js';
export { splitRhat, type RhatOptions } from './rhat.js';
export { effectiveSampleSize } from './ess.js';
export { gewekeZ, type GewekeOptions } from './geweke.js';
export { normalQuantile } from './normal-quantile.js';
