import { ShapeError, ValueError } from '@astro/core';
import { normalizePdfs, type PdfSet } from '../pdf/grid.js';

/**
 * Combine R realisations of each galaxy's PDF by the harmonic mean (CLAP §3.5):
 * h(z) ∝ R / Σ_r 1/(p_r(z) + ε), renormalised. The harmonic mean is dominated by the smallest
 * density, so it keeps only the redshifts every realisation supports.
 *
 * Zero bins: a realisation with p_r(z) = 0 would force h(z) = 0 wherever any realisation is zero
 * (and 1/0 is undefined), so each density is floored by ε = `floor` × (the uniform density on the
 * grid); with the default 1e-6 a bin where one realisation is zero gets a harmonic mean of at most
 * ≈ R·ε — negligible but finite — and a galaxy whose realisations share no support still gets a
 * valid (flat) PDF rather than an error.
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
  const out = new Float64Array(first.p.length);
  const R = sets.length;
  for (let t = 0; t < out.length; t++) {
    let inv = 0;
    for (const s of sets) inv += 1 / (s.p[t]! + eps);
    out[t] = R / inv;
  }
  return normalizePdfs(first.grid, out);
}
