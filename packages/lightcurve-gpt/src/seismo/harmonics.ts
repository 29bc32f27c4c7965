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
 * Look for strong peaks (power over the fitted background above 30) below `numax/1.5`; take
 * each, and its integer fractions 1/2 … 1/12, as a candidate fundamental, refine it on its
 * harmonics, and measure which fraction of the excess power in `numax ± 2 sigma` (power minus
 * the local median level, which narrow harmonics do not move) lies within ±3 frequency steps
 * of its harmonics. Returns a comb when that fraction exceeds 0.5 and is at least 5× what an
 * unrelated excess would give (the harmonics' share of the frequency axis) — the highest
 * fundamental explaining ≥ 90 % of the best fraction — else null.
 */
export function findHarmonicComb(
  s: PowerSpectrum,
  background: (nuMicroHz: number) => number,
  numaxMicroHz: number,
  sigmaMicroHz: number,
): HarmonicComb | null {
  const f = s.frequencyMicroHz;
  const p = s.power;
  const df = s.dfMicroHz;
  const n = f.length;
  const idx = (nu: number): number => Math.min(n - 1, Math.max(0, Math.round(nu / df) - 1));
  // Candidate peaks: the five strongest (relative to the background), ≥ 4 steps apart.
  const kMax = idx(numaxMicroHz / 1.5);
  const peaks: { k: number; r: number }[] = [];
  for (let k = 2; k <= kMax; k++) {
    const r = p[k]! / background(f[k]!);
    if (r < 30 || (k > 0 && p[k - 1]! > p[k]!) || (k + 1 < n && p[k + 1]! > p[k]!)) continue;
    peaks.push({ k, r });
  }
  peaks.sort((a, b) => b.r - a.r);
  const top: { k: number; r: number }[] = [];
  for (const q of peaks) {
    if (top.every((t) => Math.abs(t.k - q.k) > 4)) top.push(q);
    if (top.length === 5) break;
  }
  if (top.length === 0) return null;
  // Excess over the local median level (χ²₂ mean = median / ln 2) in the envelope window.
  const k0 = idx(numaxMicroHz - 2 * sigmaMicroHz);
  const k1 = idx(numaxMicroHz + 2 * sigmaMicroHz);
  const excess = new Float64Array(k1 - k0 + 1);
  const chunk = Math.max(64, Math.ceil((k1 - k0 + 1) / 20));
  for (let c = k0; c <= k1; c += chunk) {
    const end = Math.min(k1 + 1, c + chunk);
    const vals = Float64Array.from(p.subarray(c, end)).sort();
    const level = vals[Math.floor(vals.length / 2)]! / Math.LN2;
    for (let k = c; k < end; k++) excess[k - k0] = p[k]! - level;
  }
  let total = 0;
  for (const e of excess) total += e;
  if (!(total > 0)) return null;
  const tol = 3 * df;
  const found: HarmonicComb[] = [];
  for (const q of top) {
    for (let d = 1; d <= 12; d++) {
      let f0 = f[q.k]! / d;
      if (f0 < 4 * df) break;
      const coverage = (2 * tol) / f0;
      if (coverage > 0.2) break;
      // Refine f0 on ever higher harmonics: the peak near h·f0 pins f0 to df/h.
      for (let h = 2 * d; h * f0 < numaxMicroHz + 2 * sigmaMicroHz && h <= 1 << 14; h *= 2) {
        const c = idx(h * f0);
        const half = Math.max(2, Math.ceil((h * df) / (2 * d * f0) + 2));
        let m = c;
        for (let k = Math.max(0, c - half); k <= Math.min(n - 1, c + half); k++) if (p[k]! > p[m]!) m = k;
        f0 = f[m]! / h;
      }
      let at = 0;
      for (let k = k0; k <= k1; k++) {
        const r = f[k]! / f0;
        if (Math.abs(r - Math.round(r)) * f0 <= tol) at += excess[k - k0]!;
      }
      const fraction = Math.min(1, at / total);
      if (fraction > 0.5 && fraction > 5 * coverage) found.push({ f0MicroHz: f0, peakOverBackground: q.r, fraction });
    }
  }
  if (found.length === 0) return null;
  // A sub-harmonic f0/k carries every harmonic of f0 too: report the highest fundamental that explains (nearly) as much.
  const top1 = Math.max(...found.map((c) => c.fraction));
  return found.filter((c) => c.fraction >= 0.9 * top1).reduce((a, b) => (b.f0MicroHz > a.f0MicroHz ? b : a));
}
