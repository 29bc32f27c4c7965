import { ValueError } from '@astro/core';

/**
 * The chain is too short to estimate the integrated autocorrelation time reliably
 * (emcee's `AutocorrError`): fewer than `tol × τ` steps. `tau` holds the estimate anyway.
 */
export class AutocorrError extends ValueError {
  /** The (unreliable) per-parameter estimate of τ. */
  readonly tau: Float64Array;
  constructor(message: string, tau: Float64Array) {
    super(message);
    this.name = 'AutocorrError';
    this.tau = tau;
  }
}
