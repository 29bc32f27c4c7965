import { ValueError } from '@astro/core';
import { cdfRow, normalizePdfs, type PdfSet } from '../pdf/grid.js';

/**
 * A PIT recalibration map G: [0,1] → [0,1], G(u) = u + u(1−u)·Σ_k c_k u^k — a polynomial with
 * G(0) = 0 and G(1) = 1 exactly, fitted by least squares to the empirical CDF of training PITs.
 * The recalibrated CDF is G(F(z)) and the PDF G′(F(z))·p(z) (Bordoloi et al. 2010; CLAP §3.3).
 */
export interface PitRecalibration {
  coeffs: number[];
}

/**
 * Fit G to PITs so that G(PIT) is uniform: least squares of G(u₍ᵢ₎) ≈ (i − ½)/n.
 * @param degree number of free coefficients (default 6).
 * @throws {ValueError} on fewer PITs than 4·degree or values outside [0,1].
 */
export function fitRecalibration(pits: ArrayLike<number>, degree = 6): PitRecalibration {
  const n = pits.length;
  if (n < 4 * degree) throw new ValueError(`fitRecalibration: need at least ${4 * degree} PITs, got ${n}`);
  const u = Float64Array.from(pits).sort();
  if (!(u[0]! >= 0 && u[n - 1]! <= 1)) throw new ValueError('fitRecalibration: PITs must lie in [0, 1]');
  const A = Array.from({ length: degree }, () => new Float64Array(degree + 1));
  for (let i = 0; i < n; i++) {
    const x = u[i]!;
    const t = (i + 0.5) / n - x;
    const base = x * (1 - x);
    const phi = new Float64Array(degree);
    for (let k = 0; k < degree; k++) phi[k] = base * x ** k;
    for (let a = 0; a < degree; a++) {
      for (let b = 0; b < degree; b++) A[a]![b]! += phi[a]! * phi[b]!;
      A[a]![degree]! += phi[a]! * t;
    }
  }
  return { coeffs: solve(A, degree) };
}

/** Gaussian elimination with partial pivoting on an augmented d × (d+1) system (ridge 1e-12). */
function solve(A: Float64Array[], d: number): number[] {
  for (let i = 0; i < d; i++) A[i]![i]! += 1e-12;
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = c + 1; r < d; r++) {
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k <= d; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  const x = new Array<number>(d).fill(0);
  for (let r = d - 1; r >= 0; r--) {
    let s = A[r]![d]!;
    for (let k = r + 1; k < d; k++) s -= A[r]![k]! * x[k]!;
    x[r] = s / A[r]![r]!;
  }
  return x;
}

/** G(u). */
export function recalMap(g: PitRecalibration, u: number): number {
  let s = 0;
  for (let k = g.coeffs.length - 1; k >= 0; k--) s = s * u + g.coeffs[k]!;
  return u + u * (1 - u) * s;
}

/** G′(u), floored at 0 so a non-monotone fit can never produce a negative density. */
export function recalSlope(g: PitRecalibration, u: number): number {
  let s = 0;
  let ds = 0;
  for (let k = g.coeffs.length - 1; k >= 0; k--) {
    ds = ds * u + s;
    s = s * u + g.coeffs[k]!;
  }
  return Math.max(0, 1 + (1 - 2 * u) * s + u * (1 - u) * ds);
}

/** Apply G to every PDF: p′(z) = G′(F(z))·p(z), renormalised on the grid. Returns a new set. */
export function recalibratePdfs(set: PdfSet, g: PitRecalibration): PdfSet {
  const G = set.grid.n;
  const out = new Float64Array(set.p.length);
  const cum = new Float64Array(G);
  for (let i = 0; i < set.m; i++) {
    cdfRow(set, i, cum);
    for (let j = 0; j < G; j++) out[i * G + j] = recalSlope(g, Math.min(1, cum[j]!)) * set.p[i * G + j]!;
  }
  return normalizePdfs(set.grid, out);
}
