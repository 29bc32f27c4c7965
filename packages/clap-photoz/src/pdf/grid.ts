import { ShapeError, ValueError } from '@astro/core';

/** A uniform redshift grid z_j = zMin + j·dz, j = 0…n−1 (dimensionless redshift). */
export interface ZGrid {
  zMin: number;
  dz: number;
  n: number;
}

/**
 * Uniform redshift grid from zMin to zMax inclusive with spacing dz.
 * @throws {ValueError} if the bounds are not finite, zMax ≤ zMin or dz ≤ 0.
 */
export function zGrid(zMin: number, zMax: number, dz: number): ZGrid {
  if (!Number.isFinite(zMin) || !Number.isFinite(zMax) || !(zMax > zMin) || !(dz > 0)) {
    throw new ValueError(`zGrid: need finite zMin < zMax and dz > 0, got ${zMin}, ${zMax}, ${dz}`);
  }
  return { zMin, dz, n: Math.round((zMax - zMin) / dz) + 1 };
}

/** Redshift of grid point j. */
export function gridZ(g: ZGrid, j: number): number {
  return g.zMin + j * g.dz;
}

/** Upper end of the grid. */
export function gridMax(g: ZGrid): number {
  return g.zMin + (g.n - 1) * g.dz;
}

/**
 * PDFs of m galaxies sampled on a grid: `p` is m × grid.n row-major, each row a density
 * (per unit redshift) interpolated linearly between grid points, integrating to 1 by the
 * trapezoid rule (the representation of qp's `interp` ensemble).
 */
export interface PdfSet {
  grid: ZGrid;
  m: number;
  p: Float64Array;
}

/**
 * Check shapes and values and normalise each row to unit trapezoid integral, in place.
 * @throws {ShapeError} if p.length ≠ m·grid.n.
 * @throws {ValueError} if a value is negative or non-finite, or a row integrates to 0.
 */
export function normalizePdfs(grid: ZGrid, p: Float64Array): PdfSet {
  const G = grid.n;
  if (p.length % G !== 0) throw new ShapeError(`PDF array of length ${p.length} is not a multiple of the grid size ${G}`);
  const m = p.length / G;
  for (let i = 0; i < m; i++) {
    const o = i * G;
    let s = 0;
    for (let j = 0; j < G; j++) {
      const v = p[o + j]!;
      if (!(v >= 0) || !Number.isFinite(v))
        throw new ValueError(`PDF ${i}: value at grid point ${j} is ${v}; densities must be finite and ≥ 0`);
      s += j === 0 || j === G - 1 ? 0.5 * v : v;
    }
    s *= grid.dz;
    if (!(s > 0)) throw new ValueError(`PDF ${i} integrates to 0 on the grid`);
    for (let j = 0; j < G; j++) p[o + j] = p[o + j]! / s;
  }
  return { grid, m, p };
}

/** Largest |∫p dz − 1| a row may have and still count as a normalised density in the metrics. */
export const PDF_NORM_TOLERANCE = 1e-3;

/**
 * Check a PDF set before any metric reads it, as scikit-learn's `check_array` does: `grid` valid,
 * `m` a positive integer, `p` of length m·grid.n, every value finite and ≥ 0, and every row a density
 * (trapezoid integral within {@link PDF_NORM_TOLERANCE} of 1). Unnormalised rows are rejected, not
 * rescaled — a scaled row would give meaningless CRPS and CDE loss; call {@link normalizePdfs} first
 * if your densities are only proportional to p(z).
 * @param what names the argument in error messages.
 * @throws {ShapeError} on a wrong length or m = 0. @throws {ValueError} naming the row and grid point.
 */
export function assertPdfSet(set: PdfSet, what = 'pdfs'): void {
  const g = set?.grid;
  if (!g || !Number.isInteger(g.n) || g.n < 2 || !(g.dz > 0) || !Number.isFinite(g.dz) || !Number.isFinite(g.zMin)) {
    throw new ValueError(`${what}.grid must have n ≥ 2 points, finite zMin and dz > 0, got ${JSON.stringify(g)}`);
  }
  if (!Number.isInteger(set.m) || set.m < 1) throw new ShapeError(`${what}.m must be a positive integer (number of PDFs), got ${set.m}`);
  if (!(set.p instanceof Float64Array) && !ArrayBuffer.isView(set.p)) throw new ShapeError(`${what}.p must be a Float64Array`);
  if (set.p.length !== set.m * g.n) {
    throw new ShapeError(`${what}.p has length ${set.p.length}, expected m × grid.n = ${set.m} × ${g.n} = ${set.m * g.n}`);
  }
  const G = g.n;
  for (let i = 0; i < set.m; i++) {
    const o = i * G;
    let s = 0;
    for (let j = 0; j < G; j++) {
      const v = set.p[o + j]!;
      if (!(v >= 0) || !Number.isFinite(v))
        throw new ValueError(`${what}: PDF ${i} has ${v} at grid point ${j}; densities must be finite and ≥ 0`);
      s += j === 0 || j === G - 1 ? 0.5 * v : v;
    }
    s *= g.dz;
    if (!(Math.abs(s - 1) <= PDF_NORM_TOLERANCE)) {
      throw new ValueError(
        `${what}: PDF ${i} integrates to ${s} on the grid, not 1 (tolerance ${PDF_NORM_TOLERANCE}); normalise with normalizePdfs(grid, p)`,
      );
    }
  }
}

/** Cumulative integral of row i at every grid point (trapezoid), length grid.n, last = 1. */
export function cdfRow(set: PdfSet, i: number, out = new Float64Array(set.grid.n)): Float64Array {
  const { grid, p } = set;
  const o = i * grid.n;
  out[0] = 0;
  for (let j = 1; j < grid.n; j++) out[j] = out[j - 1]! + 0.5 * grid.dz * (p[o + j - 1]! + p[o + j]!);
  return out;
}

/**
 * CDF of row i at redshift z: exact integral of the piecewise-linear density up to z
 * (0 below the grid, 1 above it).
 */
export function cdfAt(set: PdfSet, i: number, z: number, cum: Float64Array): number {
  const { grid, p } = set;
  const t = (z - grid.zMin) / grid.dz;
  if (t <= 0) return 0;
  if (t >= grid.n - 1) return 1;
  const j = Math.floor(t);
  const s = (t - j) * grid.dz;
  const o = i * grid.n;
  const pj = p[o + j]!;
  const pk = p[o + j + 1]!;
  return cum[j]! + s * pj + ((pk - pj) * s * s) / (2 * grid.dz);
}

/** Density of row i at redshift z by linear interpolation (0 outside the grid). */
export function pdfAt(set: PdfSet, i: number, z: number): number {
  const { grid, p } = set;
  const t = (z - grid.zMin) / grid.dz;
  if (t < 0 || t > grid.n - 1) return 0;
  const j = Math.min(Math.floor(t), grid.n - 2);
  const f = t - j;
  const o = i * grid.n;
  return (1 - f) * p[o + j]! + f * p[o + j + 1]!;
}

/**
 * Check that every spectroscopic redshift lies on the grid.
 * @throws {ValueError} naming the first galaxy outside [zMin, zMax] — its PIT and CRPS would be
 *   meaningless, so it is never clipped silently.
 */
export function assertOnGrid(grid: ZGrid, zSpec: ArrayLike<number>, what = 'z_spec'): void {
  const hi = gridMax(grid);
  for (let i = 0; i < zSpec.length; i++) {
    const z = zSpec[i]!;
    if (!(z >= grid.zMin && z <= hi)) {
      throw new ValueError(`${what}[${i}] = ${z} is outside the redshift grid [${grid.zMin}, ${hi}]`);
    }
  }
}
