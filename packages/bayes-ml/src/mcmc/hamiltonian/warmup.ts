/**
 * Windowed estimate of a diagonal inverse mass matrix from warm-up draws, regularised
 * towards 1e-3 as Stan does: M⁻¹ = n/(n+5)·var + 1e-3·5/(n+5).
 */
export class DiagonalMassEstimator {
  private n = 0;
  private mean: Float64Array;
  private m2: Float64Array;
  constructor(d: number) {
    this.mean = new Float64Array(d);
    this.m2 = new Float64Array(d);
  }
  add(theta: Float64Array): void {
    this.n++;
    for (let i = 0; i < theta.length; i++) {
      const delta = theta[i]! - this.mean[i]!;
      this.mean[i] = this.mean[i]! + delta / this.n;
      this.m2[i] = this.m2[i]! + delta * (theta[i]! - this.mean[i]!);
    }
  }
  /** The regularised inverse mass; identity when fewer than 3 draws were added. */
  invMass(): Float64Array {
    const n = this.n;
    const out = new Float64Array(this.mean.length).fill(1);
    if (n < 3) return out;
    for (let i = 0; i < out.length; i++) {
      const v = this.m2[i]! / (n - 1);
      out[i] = (n / (n + 5)) * v + (1e-3 * 5) / (n + 5);
    }
    return out;
  }
}

/**
 * Stan-like warm-up schedule: an initial fast interval (15%), one slow window for the mass
 * matrix (75%), a terminal fast interval (10%). Returns the iteration at which the mass is
 * updated, or -1 when warm-up is too short to adapt it.
 */
export function massWindow(nWarmup: number): { start: number; end: number } | undefined {
  if (nWarmup < 20) return undefined;
  const start = Math.floor(0.15 * nWarmup);
  const end = Math.floor(0.9 * nWarmup);
  return { start, end };
}
