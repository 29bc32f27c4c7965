import type { Rng } from '@astro/core';

/** A standard normal deviate from `rng`. @deprecated Use core's `rng.normal()`, which this calls. */
export function gaussian(rng: Rng): number {
  return rng.normal();
}

/**
 * Add white Gaussian noise at signal-to-noise `snr` per pixel to `flux` in place, σ_i = |flux_i|/snr,
 * and write σ_i to `fluxErr` (same length). Photon-noise-like: σ scales with the signal.
 */
export function addNoise(flux: Float32Array, fluxErr: Float32Array, snr: number, rng: Rng): void {
  for (let i = 0; i < flux.length; i++) {
    const sigma = Math.abs(flux[i]!) / snr;
    fluxErr[i] = sigma;
    flux[i] = flux[i]! + sigma * rng.normal();
  }
}
