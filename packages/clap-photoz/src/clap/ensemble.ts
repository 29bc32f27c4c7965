import { ShapeError, ValueError } from '@astro/core';
import { normalizePdfs, type PdfSet } from '../pdf/grid.js';

/**
 * Combine R realisations of each galaxy's PDF by the harmonic mean (CLAP §3.5):
 * h(z) ∝ R / Σ_r 1/(p_r(z) + ε) − ε, renormalised. The harmonic mean is dominated by the smallest
 * density, so it keeps only the redshifts every realisation supports.
 *
 * Zero bins: 1/0 is undefined, so the mean is taken of p_r + ε with ε = `floor` × (the uniform
 * density on the grid), and ε is subtracted again (clamped at 0): identical realisations give back
 * the realisation, and a bin where any realisation is 0 stays ≈ 0. A galaxy whose realisations
 * share no support at all keeps the floored mean (flat where they disagree) — a valid, very broad
 * PDF instead of a division by zero.
 */
export function harmonicEnsemble(sets: readonly PdfSet[], floor = 1e-6): PdfSet {
  if (sets.length === 0) throw new ShapeError('harmonicEnsemble: no realisations');
  if (!(floor > 0)) throw new ValueError(`harmonicEnsemble: floor must be > 0, got ${floor}`);
  const first = sets[0]!;
  for (const s of sets) {
    if (s.m !== first.m || s.grid.n !== first.grid.n || s.grid.dz !== first.grid.dz || s.grid.zMin !== first.grid.zMin) {
      throw new ShapeError('harmonicEnsemble: realisations must share the grid and the number of galaxies');
    }
  }
  const eps = floor / ((first.grid.n - 1) * first.grid.dz);
  const G = first.grid.n;
  const out = new Float64Array(first.p.length);
  const R = sets.length;
  for (let i = 0; i < first.m; i++) {
    let total = 0;
    for (let j = i * G; j < (i + 1) * G; j++) {
      let inv = 0;
      for (const s of sets) inv += 1 / (s.p[j]! + eps);
      out[j] = Math.max(0, R / inv - eps);
      total += out[j]!;
    }
    if (total > 0) continue;
    // no common support: keep the floored harmonic mean (flat where all realisations disagree)
    for (let j = i * G; j < (i + 1) * G; j++) {
      let inv = 0;
      for (const s of sets) inv += 1 / (s.p[j]! + eps);
      out[j] = R / inv;
    }
  }
  return normalizePdfs(first.grid, out);
}
