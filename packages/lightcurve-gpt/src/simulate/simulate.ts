/**
 * Light-curve simulator of a solar-like oscillator: granulation (two Harvey profiles) plus
 * a comb of p modes (l = 0, 1, 2 Lorentzians spaced by Δν under a Gaussian envelope at
 * ν_max from the scaling relation) plus white noise, at Kepler long or short cadence with
 * realistic gaps. The signal is drawn in the Fourier domain as independent complex Gaussians
 * with variance set by the model power density (Timmer & König 1995, A&A 300, 707).
 */
import { Rng, ValueError } from '@astro/core';
import { SECONDS_PER_DAY, type LightCurve } from '../lightcurve.js';
import { apodization2 } from '../seismo/background.js';
import { fftInPlace, nextPow2 } from '../seismo/fft.js';
import { dnuFromNumax, envelopeFwhm, envelopeHeight, granulation, numaxFromLogg } from './scaling.js';

/** Kepler cadences: long 29.4244 min, short 58.85 s (in days). */
export const CADENCE_DAYS = { long: 29.4244 / 1440, short: 58.85 / SECONDS_PER_DAY } as const;

/** Stellar and observing parameters of {@link simulateStar}. */
export interface StarOptions {
  /** Surface gravity log g (cgs dex). */
  logg: number;
  /** Effective temperature (K; default 5000). */
  teffK?: number;
  /** `'long'` (29.4 min, default) or `'short'` (1 min) Kepler cadence. */
  cadence?: keyof typeof CADENCE_DAYS;
  /** Time span (days; default 30). */
  durationDays?: number;
  /** White noise per cadence (ppm rms; default 40). */
  whiteNoisePpm?: number;
  /** Gaps: `'kepler'` (default) adds a ~1-day downlink gap every 30 d and drops ~1 % of cadences at random; `'none'` keeps all. */
  gaps?: 'kepler' | 'none';
  /** Mode linewidth Γ (μHz; default 0.1 + 0.002 ν_max, capped at 2). */
  linewidthMicroHz?: number;
  /** Seed of the random draw. */
  seed: number;
}

/** A simulated light curve (flux in ppm) with its labels. */
export interface SimulatedStar extends LightCurve {
  logg: number;
  teffK: number;
  numaxMicroHz: number;
  dnuMicroHz: number;
  /** White noise added per cadence (ppm rms): what no model can predict (see `whiteNoiseFloor`). */
  whiteNoisePpm: number;
}

/** The noise-free model power density (ppm²/μHz) of {@link simulateStar}'s star at `nu` (μHz). */
export function starPowerDensity(numaxMicroHz: number, dnuMicroHz: number, linewidthMicroHz: number, nuMicroHz: number): number {
  let p = 0;
  for (const h of granulation(numaxMicroHz)) {
    const b = h.frequencyMicroHz;
    p += (((2 * Math.SQRT2) / Math.PI) * (h.amplitudePpm ** 2 / b)) / (1 + (nuMicroHz / b) ** 4);
  }
  const sigma = envelopeFwhm(numaxMicroHz) / (2 * Math.sqrt(2 * Math.LN2));
  const d = nuMicroHz - numaxMicroHz;
  const gauss = envelopeHeight(numaxMicroHz) * Math.exp((-d * d) / (2 * sigma * sigma));
  if (gauss < 1e-12) return p;
  // Comb: ν_{n,l} = Δν (n + l/2 + ε) − δ0l, ε from Corsaro et al. 2012, δ02 = 0.12 Δν; visibilities 1, 1.5, 0.5.
  const eps = 0.601 + 0.632 * Math.log10(dnuMicroHz);
  const g = linewidthMicroHz / 2;
  const n0 = Math.floor(nuMicroHz / dnuMicroHz - eps);
  let comb = 0;
  for (let n = n0 - 2; n <= n0 + 2; n++) {
    for (const [l, vis, shift] of [
      [0, 1, 0],
      [1, 1.5, 0],
      [2, 0.5, 0.12 * dnuMicroHz],
    ] as const) {
      const nu0 = dnuMicroHz * (n + l / 2 + eps) - shift;
      comb += (vis * g) / Math.PI / ((nuMicroHz - nu0) ** 2 + g * g);
    }
  }
  // Σ visibilities = 3 per Δν, so the comb averages to the Gaussian envelope.
  return p + (gauss * dnuMicroHz * comb) / 3;
}

/**
 * Simulate a Kepler-like light curve (ppm) of a solar-like oscillator with surface gravity
 * `logg`: ν_max from the scaling relation, Δν from Stello et al. 2009. Seeded and
 * deterministic. Throws `ValueError` when ν_max is above the cadence's Nyquist frequency.
 */
export function simulateStar(opts: StarOptions): SimulatedStar {
  const teff = opts.teffK ?? 5000;
  const numax = numaxFromLogg(opts.logg, teff);
  const dnu = dnuFromNumax(numax);
  const dt = CADENCE_DAYS[opts.cadence ?? 'long'];
  const dtSec = dt * SECONDS_PER_DAY;
  const nyq = 1e6 / (2 * dtSec);
  if (numax > 0.9 * nyq)
    throw new ValueError(
      `ν_max = ${numax.toFixed(1)} μHz (log g ${opts.logg}) is above 0.9 × the ${opts.cadence ?? 'long'}-cadence Nyquist frequency ${nyq.toFixed(1)} μHz; use cadence 'short'`,
    );
  const duration = opts.durationDays ?? 30;
  const m = Math.round(duration / dt);
  if (m < 16) throw new ValueError(`durationDays ${duration} gives only ${m} cadences`);
  const L = nextPow2(2 * m); // pad so the periodic draw does not wrap around
  const df = 1e6 / (L * dtSec);
  const gamma = Math.max(opts.linewidthMicroHz ?? Math.min(0.1 + 0.002 * numax, 2), 1.5 * df);
  const rng = new Rng(opts.seed);
  const re = new Float64Array(L);
  const im = new Float64Array(L);
  for (let k = 1; k < L / 2; k++) {
    const nu = k * df;
    const p = starPowerDensity(numax, dnu, gamma, nu) * apodization2(nu, nyq);
    const s = (L * Math.sqrt(p * df)) / 2;
    const a = s * rng.normal();
    const b = s * rng.normal();
    re[k] = a;
    im[k] = -b; // conj for the inverse transform via the forward FFT
    re[L - k] = a;
    im[L - k] = b;
  }
  fftInPlace(re, im); // Σ X_k e^{+2πikn/L} = conj(FFT(conj X)); the result is real
  const white = opts.whiteNoisePpm ?? 40;
  const t: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < m; i++) {
    const time = i * dt;
    // Draw the random-drop uniform for every cadence so the flux draw does not depend on `gaps`.
    const dropped = rng.uniform() < 0.01 || time % 30 > 29;
    if (opts.gaps !== 'none' && dropped) continue;
    t.push(time);
    f.push(re[i]! / L + white * rng.normal());
  }
  return {
    timeDays: Float64Array.from(t),
    flux: Float64Array.from(f),
    logg: opts.logg,
    teffK: teff,
    numaxMicroHz: numax,
    dnuMicroHz: dnu,
    whiteNoisePpm: white,
  };
}
