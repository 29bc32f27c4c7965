/**
 * Power density spectrum of a light curve in ppm²/μHz, the quantity asteroseismic
 * pipelines fit (e.g. Kallinger et al. 2014, A&A 570, A41; pySYD, Chontos et al. 2022).
 */
import { ValueError } from '@astro/core';
import { SECONDS_PER_DAY, type LightCurve } from '../lightcurve.js';
import { binToCadence, type GriddedLightCurve } from '../prep/hygiene.js';
import { fftInPlace, nextPow2 } from './fft.js';

/** A one-sided power density spectrum. */
export interface PowerSpectrum {
  /** Frequencies (μHz), from `df` up to the Nyquist frequency. */
  frequencyMicroHz: Float64Array;
  /** Power density (flux units² per μHz; ppm²/μHz for a light curve in ppm). */
  power: Float64Array;
  /** Frequency step (μHz). */
  dfMicroHz: number;
  /** Nyquist frequency 1/(2 Δt) (μHz). */
  nyquistMicroHz: number;
  /** Grid step over the natural resolution 1/T (≥ 1; bins closer than 1/T are correlated). */
  oversampling: number;
  /** Observed cadences / grid cells (duty cycle). */
  fillFactor: number;
}

/**
 * Power density of a (normalised, e.g. ppm) light curve by FFT of the gap-zero-filled
 * regular-cadence series, padded to a power of two. The series is first put on its cadence
 * grid by {@link binToCadence} (sorted, repeated stamps merged, sub-cadence jitter binned;
 * pass `gridded` to reuse a grid). Normalised by Parseval so that Σ P·Δν equals the variance
 * of the observed points (a sine of amplitude A integrates to A²/2), which corrects for the
 * duty cycle as the Kepler/KASC convention does. Throws `ShapeError`/`ValueError` for
 * unequal lengths, empty or non-finite input, and `ValueError` for fewer than 8 cadences.
 */
export function powerDensity(lc: LightCurve, opts: { cadenceDays?: number; gridded?: GriddedLightCurve } = {}): PowerSpectrum {
  const g = opts.gridded ?? binToCadence(lc, opts.cadenceDays !== undefined ? { cadenceDays: opts.cadenceDays } : {});
  const m = g.cells;
  const nObs = g.lightCurve.flux.length;
  if (m < 8 || nObs < 8) throw new ValueError(`power spectrum needs at least 8 cadences, got ${nObs} points on ${m} grid cells`);
  let mean = 0;
  for (let i = 0; i < nObs; i++) mean += g.lightCurve.flux[i]!;
  mean /= nObs;
  const L = nextPow2(m);
  const re = new Float64Array(L);
  const im = new Float64Array(L);
  for (let i = 0; i < nObs; i++) re[g.cell[i]!] = g.lightCurve.flux[i]! - mean;
  fftInPlace(re, im);
  const dtSec = g.report.cadenceDays * SECONDS_PER_DAY;
  const df = 1e6 / (L * dtSec);
  const half = L / 2;
  const f = new Float64Array(half);
  const p = new Float64Array(half);
  const scale = 2 / (L * nObs * df);
  for (let k = 1; k <= half; k++) {
    f[k - 1] = k * df;
    p[k - 1] = (re[k]! * re[k]! + im[k]! * im[k]!) * scale * (k === half ? 0.5 : 1);
  }
  return { frequencyMicroHz: f, power: p, dfMicroHz: df, nyquistMicroHz: 1e6 / (2 * dtSec), oversampling: L / m, fillFactor: nObs / m };
}
