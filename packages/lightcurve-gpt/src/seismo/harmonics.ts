/**
 * Is a power excess made of harmonics of a strong low-frequency signal (an eclipsing or
 * contact binary, a spotted rotator, a pulsator with a non-sinusoidal light curve)? Such a
 * comb can mimic an oscillation envelope in a log-binned spectrum; stochastic p modes cannot
 * put most of their power at integer multiples of one frequency.
 */
import type { PowerSpectrum } from './psd.js';

/** A harmonic comb found by {@link findHarmonicComb}. */
export interface HarmonicComb {
  /** Fundamental (μHz), refined on its harmonics. */
  f0MicroHz: number;
  /** Its power over the background. */
  peakOverBackground: number;
  /** Fraction of the excess power in ν_max ± 2σ that lies within ±3 frequency steps of k·f0. */
  fraction: number;
}

/**
 * Look for a strong peak (power/background above max(100, 4 ln N)) below `numax/1.5`, refine
 * its frequency on its harmonics, and measure which fraction of the excess power in
 * `numax ± 2 sigma` lies at its harmonics. Returns the comb when that fraction exceeds
 * 0.5 and is at least 5× what an unrelated excess would give; otherwise null.
 */
export function findHarmonicComb(s: PowerSpectrum, background: (nuMicroHz: number) => number, numaxMicroHz: number, sigmaMicroHz: number): HarmonicComb | null {
  const f = s.frequencyMicroHz;
  const p = s.power;
  const df = s.dfMicroHz;
  const idx = (nu: number): number => Math.min(f.length - 1, Math.max(0, Math.round(nu / df) - 1));
  const kMax = idx(numaxMicroHz / 1.5);
  let best = -1;
  let bestRatio = 0;
  for (let k = 2; k <= kMax; k++) {
    const r = p[k]! / background(f[k]!);
    if (r > bestRatio) {
      bestRatio = r;
      best = k;
    }
  }
  if (best < 0 || bestRatio < Math.max(100, 4 * Math.log(f.length))) return null;
  // Refine f0 on ever higher harmonics: the peak near h·f0 pins f0 to df/h.
  let f0 = f[best]!;
  for (let h = 2; h * f0 < numaxMicroHz + 2 * sigmaMicroHz && h <= 1 << 12; h *= 2) {
    const c = idx(h * f0);
    const half = Math.max(2, Math.ceil(h * 0.75));
    let m = c;
    for (let k = Math.max(0, c - half); k <= Math.min(f.length - 1, c + half); k++) if (p[k]! > p[m]!) m = k;
    f0 = f[m]! / h;
  }
  const tol = 3 * df;
  const coverage = (2 * tol) / f0;
  if (coverage > 0.2) return null;
  let total = 0;
  let atHarmonics = 0;
  for (let k = idx(numaxMicroHz - 2 * sigmaMicroHz); k <= idx(numaxMicroHz + 2 * sigmaMicroHz); k++) {
    const e = Math.max(p[k]! - background(f[k]!), 0);
    total += e;
    const r = f[k]! / f0;
    if (Math.abs(r - Math.round(r)) * f0 <= tol) atHarmonics += e;
  }
  const fraction = total > 0 ? atHarmonics / total : 0;
  return fraction > 0.5 && fraction > 5 * coverage ? { f0MicroHz: f0, peakOverBackground: bestRatio, fraction } : null;
}
