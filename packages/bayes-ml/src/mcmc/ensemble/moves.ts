import { ValueError } from '@astro/core';
import type { Rng } from '../../sampling/rng.js';

/**
 * A red–blue ensemble move (Goodman & Weare 2010; Foreman-Mackey et al. 2013): proposes new
 * positions for the walkers `s` (nS × nDim, row-major) using the complementary set `c`
 * (nC × nDim), writing proposals into `q` and the log Metropolis–Hastings factor of each
 * proposal into `logFactor`.
 */
export interface EnsembleMove {
  readonly name: string;
  propose(s: Float64Array, nS: number, c: Float64Array, nC: number, nDim: number, rng: Rng, q: Float64Array, logFactor: Float64Array): void;
}

/**
 * The affine-invariant stretch move of Goodman & Weare (2010, eq. 7): q = c + z (s − c) with
 * g(z) ∝ 1/√z on [1/a, a] and log factor (nDim − 1) log z. emcee's default, a = 2.
 */
export class StretchMove implements EnsembleMove {
  readonly name = 'stretch';
  readonly a: number;
  constructor(opts: { a?: number } = {}) {
    this.a = opts.a ?? 2;
    if (!(this.a > 1)) throw new ValueError(`StretchMove needs a > 1, got ${this.a}`);
  }
  propose(
    s: Float64Array,
    nS: number,
    c: Float64Array,
    nC: number,
    nDim: number,
    rng: Rng,
    q: Float64Array,
    logFactor: Float64Array,
  ): void {
    const a = this.a;
    for (let i = 0; i < nS; i++) {
      const u = rng.uniform();
      const z = ((a - 1) * u + 1) ** 2 / a;
      const j = rng.below(nC);
      for (let d = 0; d < nDim; d++) {
        const cj = c[j * nDim + d]!;
        q[i * nDim + d] = cj + z * (s[i * nDim + d]! - cj);
      }
      logFactor[i] = (nDim - 1) * Math.log(z);
    }
  }
}

/**
 * The differential-evolution move (ter Braak 2006; Nelson et al. 2014; emcee's `DEMove`):
 * q = s + γ (c₁ − c₂) for two distinct complementary walkers, γ = γ₀ (1 + σ·N(0,1)),
 * γ₀ = 2.38/√(2·nDim) by default, symmetric (log factor 0).
 */
export class DEMove implements EnsembleMove {
  readonly name = 'de';
  readonly sigma: number;
  readonly gamma0: number | undefined;
  constructor(opts: { sigma?: number; gamma0?: number } = {}) {
    this.sigma = opts.sigma ?? 1e-5;
    this.gamma0 = opts.gamma0;
  }
  propose(
    s: Float64Array,
    nS: number,
    c: Float64Array,
    nC: number,
    nDim: number,
    rng: Rng,
    q: Float64Array,
    logFactor: Float64Array,
  ): void {
    if (nC < 2) throw new ValueError('DEMove needs at least 2 complementary walkers');
    const g0 = this.gamma0 ?? 2.38 / Math.sqrt(2 * nDim);
    for (let i = 0; i < nS; i++) {
      const j1 = rng.below(nC);
      let j2 = rng.below(nC - 1);
      if (j2 >= j1) j2++;
      const gamma = g0 * (1 + this.sigma * rng.normal());
      for (let d = 0; d < nDim; d++) {
        q[i * nDim + d] = s[i * nDim + d]! + gamma * (c[j1 * nDim + d]! - c[j2 * nDim + d]!);
      }
      logFactor[i] = 0;
    }
  }
}
