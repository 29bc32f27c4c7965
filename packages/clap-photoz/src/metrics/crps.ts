import { ShapeError } from '@astro/core';
import { assertOnGrid, cdfAt, cdfRow, gridZ, pdfAt, type PdfSet } from '../pdf/grid.js';

/**
 * Mean continuous ranked probability score, CRPS_i = ∫ (F_i(z) − H(z − z_spec,i))² dz over the grid
 * (Hersbach 2000; RAIL's CRPS), in units of redshift. Integrated exactly on the grid intervals by
 * composite Simpson on each grid interval, split at z_spec.
 * @throws {ShapeError} on a length mismatch. @throws {ValueError} if a z_spec is off the grid.
 */
export function crps(set: PdfSet, zSpec: ArrayLike<number>): Float64Array {
  if (zSpec.length !== set.m) throw new ShapeError(`crps: ${set.m} PDFs but ${zSpec.length} redshifts`);
  assertOnGrid(set.grid, zSpec);
  const { grid } = set;
  const cum = new Float64Array(grid.n);
  const out = new Float64Array(set.m);
  for (let i = 0; i < set.m; i++) {
    cdfRow(set, i, cum);
    const zs = zSpec[i]!;
    // F is piecewise quadratic, so (F − H)² is quartic on each piece: composite Simpson on four
    // panels per piece, with H fixed per piece (0 below z_spec, 1 above) so the step never sits
    // inside a quadrature rule.
    const seg = (a: number, b: number, above: boolean): number => {
      if (b <= a) return 0;
      const f = (z: number): number => (cdfAt(set, i, z, cum) - (above ? 1 : 0)) ** 2;
      const mid = 0.5 * (a + b);
      return ((b - a) / 12) * (f(a) + 4 * f(0.5 * (a + mid)) + 2 * f(mid) + 4 * f(0.5 * (mid + b)) + f(b));
    };
    let s = 0;
    for (let j = 0; j < grid.n - 1; j++) {
      const a = gridZ(grid, j);
      const b = gridZ(grid, j + 1);
      if (b <= zs) s += seg(a, b, false);
      else if (a >= zs) s += seg(a, b, true);
      else s += seg(a, zs, false) + seg(zs, b, true);
    }
    out[i] = s;
  }
  return out;
}

/**
 * Conditional density estimation loss (Izbicki & Lee 2017; RAIL's CDELoss):
 * L = mean_i ∫ p_i(z)² dz − 2 · mean_i p_i(z_spec,i). Lower is better; units 1/redshift.
 */
export function cdeLoss(set: PdfSet, zSpec: ArrayLike<number>): number {
  if (zSpec.length !== set.m) throw new ShapeError(`cdeLoss: ${set.m} PDFs but ${zSpec.length} redshifts`);
  assertOnGrid(set.grid, zSpec);
  const { grid, p } = set;
  let t1 = 0;
  let t2 = 0;
  for (let i = 0; i < set.m; i++) {
    const o = i * grid.n;
    let s = 0;
    for (let j = 0; j < grid.n - 1; j++) {
      const a = p[o + j]!;
      const b = p[o + j + 1]!;
      s += (grid.dz * (a * a + a * b + b * b)) / 3; // exact for a linear segment
    }
    t1 += s;
    t2 += pdfAt(set, i, zSpec[i]!);
  }
  return t1 / set.m - (2 * t2) / set.m;
}
