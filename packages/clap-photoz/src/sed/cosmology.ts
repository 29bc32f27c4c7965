import { ValueError } from '@astro/core';

/** A flat ΛCDM cosmology: Hubble constant H0 (km s⁻¹ Mpc⁻¹) and matter density Ω_m (radiation neglected). */
export interface Cosmology {
  H0: number;
  Om: number;
}

/** H0 = 70 km s⁻¹ Mpc⁻¹, Ω_m = 0.3. */
export const DEFAULT_COSMOLOGY: Cosmology = { H0: 70, Om: 0.3 };

const C_KM_S = 299792.458;

function efunc(c: Cosmology, z: number): number {
  return Math.sqrt(c.Om * (1 + z) ** 3 + (1 - c.Om));
}

/**
 * Comoving distance D_C = (c/H0) ∫₀^z dz′/E(z′) in Mpc, E(z) = √(Ω_m(1+z)³ + 1 − Ω_m)
 * (Hogg 1999, eq. 15), by composite Simpson with 256 intervals (relative error < 1e-10 for z ≤ 3).
 * @throws {ValueError} if z < 0 or not finite.
 */
export function comovingDistanceMpc(z: number, c: Cosmology = DEFAULT_COSMOLOGY): number {
  if (!(z >= 0) || !Number.isFinite(z)) throw new ValueError(`comovingDistanceMpc: z must be finite and ≥ 0, got ${z}`);
  if (z === 0) return 0;
  const n = 256;
  const h = z / n;
  let s = 1 / efunc(c, 0) + 1 / efunc(c, z);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) / efunc(c, i * h);
  return ((C_KM_S / c.H0) * s * h) / 3;
}

/** Luminosity distance D_L = (1+z)·D_C in Mpc (flat universe; Hogg 1999, eq. 21). */
export function luminosityDistanceMpc(z: number, c: Cosmology = DEFAULT_COSMOLOGY): number {
  return (1 + z) * comovingDistanceMpc(z, c);
}

/** Distance modulus μ = 5 log₁₀(D_L / 10 pc) in mag (z > 0). */
export function distanceModulus(z: number, c: Cosmology = DEFAULT_COSMOLOGY): number {
  if (!(z > 0)) throw new ValueError(`distanceModulus: z must be > 0, got ${z}`);
  return 5 * Math.log10(luminosityDistanceMpc(z, c)) + 25;
}

/** Comoving volume per unit redshift per steradian, dV_C/dz/dΩ = (c/H0)·D_C²/E(z) in Mpc³ (Hogg 1999, eq. 28). */
export function comovingVolumeElement(z: number, c: Cosmology = DEFAULT_COSMOLOGY): number {
  const dc = comovingDistanceMpc(z, c);
  return ((C_KM_S / c.H0) * dc * dc) / efunc(c, z);
}

/** Angular-diameter distance D_A = D_C/(1+z) in Mpc (flat universe; Hogg 1999, eq. 18). */
export function angularDiameterDistanceMpc(z: number, c: Cosmology = DEFAULT_COSMOLOGY): number {
  return comovingDistanceMpc(z, c) / (1 + z);
}
