import { ValueError } from '@astro/core';
import type { Filter, Sed } from './spectra.js';

/** Speed of light in Å s⁻¹. */
export const C_ANGSTROM_PER_S = 2.99792458e18;
/** The AB zero point, 3631 Jy, in erg s⁻¹ cm⁻² Hz⁻¹. */
export const AB_ZERO_FNU = 3631e-23;

/**
 * Band-averaged f_ν (erg s⁻¹ cm⁻² Hz⁻¹) of an SED seen at redshift z through a photon-counting
 * filter: ⟨f_ν⟩ = ∫ f_λ^obs(λ) R(λ) λ dλ / (c ∫ R(λ)/λ dλ), with the redshifted shape
 * f_λ^obs(λ) = f_λ(λ/(1+z))/(1+z) (no distance dimming). SED and response are each linear
 * between their own points; both integrals use the trapezoid rule on the union of the two grids.
 * @throws {ValueError} if z < 0 or the redshifted SED does not cover the filter.
 */
export function bandFnu(sed: Sed, filter: Filter, z = 0): number {
  if (!(z >= 0) || !Number.isFinite(z)) throw new ValueError(`bandFnu: z must be finite and ≥ 0, got ${z}`);
  const w = sed.wavelengthAngstrom;
  const f = sed.fLambda;
  const lw = filter.wavelengthAngstrom;
  const R = filter.response;
  const s = 1 + z;
  if (lw[0]! / s < w[0]! || lw[lw.length - 1]! / s > w[w.length - 1]!) {
    throw new ValueError(`bandFnu: SED ${sed.name} (${w[0]}–${w[w.length - 1]} Å rest) does not cover filter ${filter.name} at z = ${z}`);
  }
  // integrate on the union of the filter's wavelengths and the redshifted SED's, both linear between their points
  const lo = lw[0]!;
  const hi = lw[lw.length - 1]!;
  let j = 0;
  while (j < w.length - 1 && w[j + 1]! * s <= lo) j++;
  let k = 0;
  let lam = lo;
  let num = 0;
  let den = 0;
  let prevLam = 0;
  let prevN = 0;
  let prevD = 0;
  let first = true;
  for (;;) {
    while (k < lw.length - 2 && lw[k + 1]! <= lam) k++;
    while (j < w.length - 2 && w[j + 1]! * s <= lam) j++;
    const tr = (lam - lw[k]!) / (lw[k + 1]! - lw[k]!);
    const r = (1 - tr) * R[k]! + tr * R[k + 1]!;
    const ts = (lam / s - w[j]!) / (w[j + 1]! - w[j]!);
    const fl = ((1 - ts) * f[j]! + ts * f[j + 1]!) / s;
    const n = fl * r * lam;
    const d = r / lam;
    if (!first) {
      num += 0.5 * (lam - prevLam) * (n + prevN);
      den += 0.5 * (lam - prevLam) * (d + prevD);
    }
    first = false;
    prevLam = lam;
    prevN = n;
    prevD = d;
    if (lam >= hi) break;
    const nextF = lw[k + 1]! > lam ? lw[k + 1]! : lw[Math.min(k + 2, lw.length - 1)]!;
    const nextS = w[j + 1]! * s > lam ? w[j + 1]! * s : w[Math.min(j + 2, w.length - 1)]! * s;
    lam = Math.min(nextF, nextS, hi);
  }
  if (!(den > 0)) throw new ValueError(`bandFnu: filter ${filter.name} has zero response`);
  return num / (C_ANGSTROM_PER_S * den);
}

/**
 * AB magnitude of an SED (f_λ in erg s⁻¹ cm⁻² Å⁻¹) at redshift z through a filter:
 * m = −2.5 log₁₀(⟨f_ν⟩ / 3631 Jy) (Oke & Gunn 1983), with ⟨f_ν⟩ from {@link bandFnu}.
 * A flat f_ν = 3631 Jy spectrum gives 0 in every band at z = 0, and −2.5 log₁₀(1+z) at z.
 */
export function abMagnitude(sed: Sed, filter: Filter, z = 0): number {
  const fnu = bandFnu(sed, filter, z);
  if (!(fnu > 0)) throw new ValueError(`abMagnitude: SED ${sed.name} has no flux in filter ${filter.name} at z = ${z}`);
  return -2.5 * Math.log10(fnu / AB_ZERO_FNU);
}
