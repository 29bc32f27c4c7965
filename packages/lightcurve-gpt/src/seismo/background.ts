/**
 * The granulation background + oscillation envelope model of a solar-like oscillator's
 * power density (Kallinger et al. 2014, A&A 570, A41, eq. 1–2 with exponent 4):
 *
 *   P(ν) = W + η²(ν) [ Σᵢ aᵢ / (1 + (ν/bᵢ)⁴) + H exp(−(ν − ν_max)² / 2σ²) ],
 *   η(ν) = sinc(π ν / 2ν_Nyq)  (apodisation by the finite integration time).
 */

/** Parameters of {@link backgroundModel} (power densities in the spectrum's units per μHz, frequencies in μHz). */
export interface BackgroundParams {
  /** White-noise level W. */
  white: number;
  /** Harvey components: amplitude density aᵢ and characteristic frequency bᵢ (μHz). */
  harvey: { amplitude: number; frequencyMicroHz: number }[];
  /** Gaussian oscillation envelope: height H, centre ν_max (μHz), width σ (μHz). */
  envelope?: { height: number; numaxMicroHz: number; sigmaMicroHz: number };
}

/** Apodisation η²(ν) = sinc²(πν / 2ν_Nyq) of a signal sampled by integrating over each cadence. */
export function apodization2(nuMicroHz: number, nyquistMicroHz: number): number {
  const x = (Math.PI * nuMicroHz) / (2 * nyquistMicroHz);
  const s = x === 0 ? 1 : Math.sin(x) / x;
  return s * s;
}

/** Evaluate the background (+ envelope) model at one frequency (μHz). */
export function backgroundModel(p: BackgroundParams, nuMicroHz: number, nyquistMicroHz: number): number {
  let s = 0;
  for (const h of p.harvey) s += h.amplitude / (1 + (nuMicroHz / h.frequencyMicroHz) ** 4);
  if (p.envelope) {
    const d = nuMicroHz - p.envelope.numaxMicroHz;
    s += p.envelope.height * Math.exp((-d * d) / (2 * p.envelope.sigmaMicroHz ** 2));
  }
  return p.white + apodization2(nuMicroHz, nyquistMicroHz) * s;
}
