import { ValueError } from '@astro/core';
import type { Photometry } from '../catalogue/photometry.js';

/**
 * Magnitude-error model per band b: log₁₀ σ_b = a_b + s_b·(m_b − 18) + τ_b·ε, ε ~ 𝒩(0,1) —
 * a log-linear error–magnitude relation with log-normal scatter τ_b between galaxies of equal
 * magnitude (sky, seeing and size differ).
 */
export interface MagErrorModel {
  /** log₁₀ σ at m = 18, per band (u g r i z). */
  a: number[];
  /** Slope d log₁₀σ / dm per band (0.2 for source-photon-limited, 0.4 for sky-limited photometry). */
  s: number[];
  /** Scatter τ of log₁₀ σ about the relation, per band (dex). */
  tau: number[];
}

/**
 * The model fitted by {@link fitMagErrorModel} to the 5000 real SDSS training galaxies of
 * `../shared/data/photoz/sdss-ugriz/train.txt` (checked against numpy's least squares in the tests).
 */
export const SDSS_ERROR_MODEL: MagErrorModel = {
  a: [-1.4707, -1.9552, -1.923, -1.8901, -1.3512],
  s: [0.2755, 0.2262, 0.226, 0.1827, 0.2354],
  tau: [0.1799, 0.155, 0.1008, 0.1454, 0.1419],
};

/** Least-squares fit of {@link MagErrorModel} to a catalogue's magnitudes and errors. @throws {ValueError} on fewer than 3 galaxies. */
export function fitMagErrorModel(cat: Photometry): MagErrorModel {
  if (cat.n < 3) throw new ValueError(`fitMagErrorModel: need at least 3 galaxies, got ${cat.n}`);
  const out: MagErrorModel = { a: [], s: [], tau: [] };
  for (let b = 0; b < 5; b++) {
    let sx = 0,
      sy = 0,
      sxx = 0,
      sxy = 0;
    for (let i = 0; i < cat.n; i++) {
      const x = cat.mag[i * 5 + b]! - 18;
      const y = Math.log10(cat.magErr[i * 5 + b]!);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const n = cat.n;
    const s = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const a = (sy - s * sx) / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (Math.log10(cat.magErr[i * 5 + b]!) - a - s * (cat.mag[i * 5 + b]! - 18)) ** 2;
    out.a.push(a);
    out.s.push(s);
    out.tau.push(Math.sqrt(ss / n));
  }
  return out;
}

/** Median error of the model at magnitude m in band b (mag): 10^(a_b + s_b(m − 18)). */
export function medianMagError(model: MagErrorModel, band: number, m: number): number {
  return 10 ** (model.a[band]! + model.s[band]! * (m - 18));
}
