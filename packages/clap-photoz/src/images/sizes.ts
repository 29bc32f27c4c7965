/**
 * Median half-light (Petrosian r50) radius in kpc of SDSS galaxies of absolute r magnitude M
 * (Shen et al. 2003, MNRAS 343, 978, eqs. 14 and 18, Table 1 r-band fits): early types
 * log R = −0.4·a·M + b with a = 0.65, b = −5.06; late types
 * log R = −0.4·α·M + (β − α) log₁₀(1 + 10^{−0.4(M − M₀)}) + γ with α = 0.21, β = 0.53, γ = −1.31,
 * M₀ = −20.52. `early` ∈ [0, 1] interpolates log R between the two relations.
 */
export function medianSizeKpc(absMagR: number, early: number): number {
  const logEarly = -0.4 * 0.65 * absMagR - 5.06;
  const logLate = -0.4 * 0.21 * absMagR + (0.53 - 0.21) * Math.log10(1 + 10 ** (-0.4 * (absMagR + 20.52))) - 1.31;
  return 10 ** (early * logEarly + (1 - early) * logLate);
}
