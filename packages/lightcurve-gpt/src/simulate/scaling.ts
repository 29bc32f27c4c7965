/**
 * Asteroseismic scaling relations used by the simulator and to turn ν_max into log g.
 */
import { ValueError } from '@astro/core';

/** Solar reference values: ν_max☉ = 3090 μHz, Δν☉ = 135.1 μHz, T_eff☉ = 5777 K, log g☉ = 4.438 (cgs). */
export const SUN = { numaxMicroHz: 3090, dnuMicroHz: 135.1, teffK: 5777, logg: 4.438 } as const;

/** ν_max = 3090 μHz · (g/g☉) · (T_eff/5777 K)^−0.5 (Brown et al. 1991; Kjeldsen & Bedding 1995). */
export function numaxFromLogg(logg: number, teffK: number): number {
  if (!Number.isFinite(logg) || !(teffK > 0)) throw new ValueError(`numaxFromLogg: need finite logg and Teff > 0, got ${logg}, ${teffK}`);
  return SUN.numaxMicroHz * 10 ** (logg - SUN.logg) * (teffK / SUN.teffK) ** -0.5;
}

/** Inverse of {@link numaxFromLogg}: log g (cgs dex) from ν_max (μHz) and T_eff (K). */
export function loggFromNumax(numaxMicroHz: number, teffK: number): number {
  if (!(numaxMicroHz > 0) || !(teffK > 0))
    throw new ValueError(`loggFromNumax: need ν_max > 0 and Teff > 0, got ${numaxMicroHz}, ${teffK}`);
  return SUN.logg + Math.log10(numaxMicroHz / SUN.numaxMicroHz) + 0.5 * Math.log10(teffK / SUN.teffK);
}

/** Δν ≈ 0.263 μHz · ν_max^0.772 (Stello et al. 2009, MNRAS 400, L80). */
export function dnuFromNumax(numaxMicroHz: number): number {
  return 0.263 * numaxMicroHz ** 0.772;
}

/** Envelope FWHM ≈ 0.66 ν_max^0.88 μHz (Mosser et al. 2012, A&A 537, A30). */
export function envelopeFwhm(numaxMicroHz: number): number {
  return 0.66 * numaxMicroHz ** 0.88;
}

/** Envelope height H_max ≈ 2.03e7 ν_max^−2.38 ppm²/μHz (Mosser et al. 2012). */
export function envelopeHeight(numaxMicroHz: number): number {
  return 2.03e7 * numaxMicroHz ** -2.38;
}

/**
 * Granulation (Kallinger et al. 2014, A&A 570, A41, Table 2): two Harvey components with
 * characteristic frequencies b₁ = 0.317 ν_max^0.970, b₂ = 0.948 ν_max^0.992 (μHz) and rms
 * amplitude a = 3382 ν_max^−0.609 ppm each.
 */
export function granulation(numaxMicroHz: number): { amplitudePpm: number; frequencyMicroHz: number }[] {
  const a = 3382 * numaxMicroHz ** -0.609;
  return [
    { amplitudePpm: a, frequencyMicroHz: 0.317 * numaxMicroHz ** 0.97 },
    { amplitudePpm: a, frequencyMicroHz: 0.948 * numaxMicroHz ** 0.992 },
  ];
}
