import { cholesky, choSolve } from '@astro/core/linalg';

/** One pixel of a trained Cannon: coefficients θ [K] and intrinsic scatter s (flux units). */
export interface PixelFit {
  theta: Float64Array;
  scatter: number;
  /** Negative log-likelihood ½Σ[(f − θ·v)²/(σ² + s²) + ln(σ² + s²)] at the optimum. */
  nll: number;
}

/** Lower-triangle outer products vₙvₙᵀ of every design row [n, K(K+1)/2] (reused across scatter values). */
export function designOuterProducts(design: Float64Array, K: number): Float64Array {
  const n = design.length / K;
  const T = (K * (K + 1)) / 2;
  const out = new Float64Array(n * T);
  for (let r = 0; r < n; r++) {
    let k = r * T;
    const o = r * K;
    for (let a = 0; a < K; a++) for (let b = 0; b <= a; b++) out[k++] = design[o + a]! * design[o + b]!;
  }
  return out;
}

/**
 * Weighted linear least squares of one pixel's flux on the label vectors at a fixed scatter s:
 * θ = (Aᵀ W A)⁻¹ Aᵀ W f with W = diag 1/(σₙ² + s²) (Ness et al. 2015, eq. 4 at fixed s).
 * `design` A [n, K] row-major, `flux` and `variance` σ² length n; `outer` optionally the
 * {@link designOuterProducts} of A. Returns θ and the negative log-likelihood.
 */
export function weightedLeastSquares(
  design: Float64Array,
  K: number,
  flux: Float64Array,
  variance: Float64Array,
  scatter: number,
  outer = designOuterProducts(design, K),
): { theta: Float64Array; nll: number } {
  const n = flux.length;
  const T = (K * (K + 1)) / 2;
  const tri = new Float64Array(T);
  const atf = new Float64Array(K);
  const s2 = scatter * scatter;
  for (let r = 0; r < n; r++) {
    const w = 1 / (variance[r]! + s2);
    const o = r * T;
    for (let k = 0; k < T; k++) tri[k] = tri[k]! + w * outer[o + k]!;
    const wf = w * flux[r]!;
    const d = r * K;
    for (let a = 0; a < K; a++) atf[a] = atf[a]! + wf * design[d + a]!;
  }
  const ata = new Float64Array(K * K);
  let k = 0;
  for (let a = 0; a < K; a++) for (let b = 0; b <= a; b++) ata[a * K + b] = ata[b * K + a] = tri[k++]!;
  const theta = choSolve(cholesky(ata, K, { jitter: false, assumeFinite: true }), atf);
  let nll = 0;
  for (let r = 0; r < n; r++) {
    let m = 0;
    for (let a = 0; a < K; a++) m += design[r * K + a]! * theta[a]!;
    const v = variance[r]! + s2;
    nll += 0.5 * ((flux[r]! - m) ** 2 / v + Math.log(v));
  }
  return { theta, nll };
}

/** Scatter values probed before the golden-section refinement: 0 and 30 log-spaced values in [1e-4, sMax]. */
export function scatterGrid(sMax: number): Float64Array {
  const g = new Float64Array(31);
  const lo = Math.log(1e-4);
  const hi = Math.log(Math.max(sMax, 2e-4));
  for (let i = 1; i < 31; i++) g[i] = Math.exp(lo + ((hi - lo) * (i - 1)) / 29);
  return g;
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Maximum-likelihood fit of one pixel with an intrinsic scatter term: the profile likelihood
 * NLL(s) = min_θ ½Σ[(f − θ·v)²/(σ² + s²) + ln(σ² + s²)] is scanned on {@link scatterGrid} (sMax =
 * the pixel's flux standard deviation) and refined by golden-section search between the best
 * point's neighbours. Without `fitScatter` s = 0 (plain inverse-variance weighted least squares).
 */
export function fitPixel(design: Float64Array, K: number, flux: Float64Array, variance: Float64Array, fitScatter: boolean): PixelFit {
  const outer = designOuterProducts(design, K);
  if (!fitScatter) return { ...weightedLeastSquares(design, K, flux, variance, 0, outer), scatter: 0 };
  const n = flux.length;
  let m = 0;
  for (const f of flux) m += f / n;
  let v = 0;
  for (const f of flux) v += (f - m) ** 2 / n;
  const grid = scatterGrid(Math.sqrt(v));
  let best = 0;
  let bestNll = Infinity;
  for (let i = 0; i < grid.length; i++) {
    const { nll } = weightedLeastSquares(design, K, flux, variance, grid[i]!, outer);
    if (nll < bestNll) {
      bestNll = nll;
      best = i;
    }
  }
  let a = grid[Math.max(0, best - 1)]!;
  let b = grid[Math.min(grid.length - 1, best + 1)]!;
  const f = (s: number) => weightedLeastSquares(design, K, flux, variance, s, outer).nll;
  let c = b - GOLDEN * (b - a);
  let d = a + GOLDEN * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let it = 0; it < 80 && b - a > 1e-10; it++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - GOLDEN * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + GOLDEN * (b - a);
      fd = f(d);
    }
  }
  let s = 0.5 * (a + b);
  let fit = weightedLeastSquares(design, K, flux, variance, s, outer);
  if (bestNll < fit.nll) {
    s = grid[best]!; // the refinement never does worse than the grid
    fit = weightedLeastSquares(design, K, flux, variance, s, outer);
  }
  return { ...fit, scatter: s };
}
