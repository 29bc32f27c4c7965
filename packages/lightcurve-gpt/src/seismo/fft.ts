/**
 * The radix-2 complex FFT lives in `@astro/core/linalg` (shared with @astro/bayes-ml's
 * autocorrelation estimators); re-exported here for the power-spectrum code.
 */
export { fftInPlace, nextPow2 } from '@astro/core/linalg';
