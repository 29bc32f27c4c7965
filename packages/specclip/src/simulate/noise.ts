import type { Rng } from '@astro/core/data';

/** A standard normal deviate from `rng` (Box–Muller; uses two uniforms). */
export function gaussian(rng: Rng): number {
  const u = 1 - rng.nextFloat();
  const v = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Add white Gaussian noise at signal-to-noise `snr` per pixel to `flux` in place, σ_i = |flux_i|/snr,
 * and write σ_i to `fluxErr` (same length). Photon-noise-like: σ scales with the signal.
 */
export function addNoise(flux: Float32Array, fluxErr: Float32Array, snr: number, rng: Rng): void {
  for (let i = 0; i < flux.length; i++) {
    const sigma = Math.abs(flux[i]!) / snr;
    fluxErr[i] = sigma;
    flux[i] = flux[i]! + sigma * gaussian(rng);
  }
}
