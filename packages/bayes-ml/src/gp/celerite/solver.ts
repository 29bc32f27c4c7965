import { ShapeError, ValueError, assertFinite } from '@astro/core';
import { NotPositiveDefiniteError } from '@astro/core/linalg';
import type { CeleriteTerm } from './terms.js';

/**
 * The O(N J³) factorisation K = (I + L̃) D (I + L̃)ᵀ of a celerite-style covariance matrix
 * K_nm = uᵀΦ(tₙ − tₘ)v (n > m), K_nn = k(0) + σₙ², generalising the semiseparable
 * recursion of Foreman-Mackey et al. (2017, §5) to full J×J transitions:
 * Sₙ = Φₙ(Sₙ₋₁ + Dₙ₋₁Wₙ₋₁Wₙ₋₁ᵀ)Φₙᵀ, Dₙ = aₙ − uᵀSₙu, Wₙ = (v − Sₙu)/Dₙ.
 */
export class CeleriteFactor {
  readonly n: number;
  readonly J: number;
  /** Pivots Dₙ (length N). */
  readonly D: Float64Array;
  /** Wₙ rows (N×J). */
  readonly W: Float64Array;
  private readonly t: Float64Array;
  /** Φ(tₙ − tₙ₋₁) for n ≥ 1, each J×J row-major, at offset n·J² (computed once). */
  private readonly phi: Float64Array;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  /** The kernel term this factorisation belongs to. */
  readonly term: CeleriteTerm;

  /**
   * Factor for times `t` (non-decreasing, any units) and per-point noise variance `diagVar`
   * (σₙ², added to k(0)). Throws {@link NotPositiveDefiniteError} when a pivot is ≤ 0.
   */
  constructor(term: CeleriteTerm, t: ArrayLike<number>, diagVar: ArrayLike<number>) {
    const n = t.length;
    if (n === 0) throw new ShapeError('celerite: no data points');
    if (diagVar.length !== n) throw new ShapeError(`celerite: ${diagVar.length} noise variances for ${n} times`);
    assertFinite(t, 'celerite: t');
    assertFinite(diagVar, 'celerite: noise variance');
    for (let i = 1; i < n; i++) {
      if (!(t[i]! >= t[i - 1]!)) throw new ValueError(`celerite: times must be sorted (t[${i}] = ${t[i]} < t[${i - 1}] = ${t[i - 1]})`);
    }
    this.n = n;
    this.term = term;
    const J = term.dim;
    this.J = J;
    this.t = Float64Array.from(t);
    this.u = new Float64Array(J);
    this.v = new Float64Array(J);
    term.vectors(this.u, this.v, 0);
    const k0 = term.value(0);
    const { u, v } = this;
    this.D = new Float64Array(n);
    this.W = new Float64Array(n * J);
    const JJ = J * J;
    this.phi = new Float64Array(n * JJ);
    for (let i = 1; i < n; i++) term.transition(this.t[i]! - this.t[i - 1]!, this.phi.subarray(i * JJ, (i + 1) * JJ), J, 0);
    const S = new Float64Array(JJ);
    const T = new Float64Array(JJ);
    const scratch = new Float64Array(JJ);
    const Su = new Float64Array(J);
    for (let i = 0; i < n; i++) {
      if (i > 0) {
        // T = S + D W Wᵀ; S = P T Pᵀ.
        const d = this.D[i - 1]!;
        const wo = (i - 1) * J;
        for (let a = 0; a < J; a++) for (let b = 0; b < J; b++) T[a * J + b] = S[a * J + b]! + d * this.W[wo + a]! * this.W[wo + b]!;
        mulPTPt(this.phi, i * JJ, T, S, scratch, J);
      }
      let uSu = 0;
      for (let a = 0; a < J; a++) {
        let s = 0;
        for (let b = 0; b < J; b++) s += S[a * J + b]! * u[b]!;
        Su[a] = s;
        uSu += u[a]! * s;
      }
      const dn = k0 + diagVar[i]! - uSu;
      if (!(dn > 0)) {
        throw new NotPositiveDefiniteError(`celerite: covariance is not positive definite (pivot ${dn} at point ${i})`, i, 0);
      }
      this.D[i] = dn;
      for (let a = 0; a < J; a++) this.W[i * J + a] = (v[a]! - Su[a]!) / dn;
    }
  }

  /** log |K| = Σ log Dₙ. */
  logDet(): number {
    let s = 0;
    for (const d of this.D) s += Math.log(d);
    return s;
  }

  /** z = (I + L̃)⁻¹ y (forward substitution). */
  forward(y: ArrayLike<number>): Float64Array {
    const { n, J, u, W } = this;
    if (y.length !== n) throw new ShapeError(`celerite: y has ${y.length} values, expected ${n}`);
    const z = new Float64Array(n);
    const f = new Float64Array(J);
    const g = new Float64Array(J);
    const P = this.phi;
    const JJ = J * J;
    for (let i = 0; i < n; i++) {
      if (i > 0) {
        const zp = z[i - 1]!;
        for (let a = 0; a < J; a++) g[a] = f[a]! + W[(i - 1) * J + a]! * zp;
        const o = i * JJ;
        for (let a = 0; a < J; a++) {
          let s = 0;
          for (let b = 0; b < J; b++) s += P[o + a * J + b]! * g[b]!;
          f[a] = s;
        }
      }
      let uf = 0;
      for (let a = 0; a < J; a++) uf += u[a]! * f[a]!;
      z[i] = y[i]! - uf;
    }
    return z;
  }

  /** x = K⁻¹ y. */
  solve(y: ArrayLike<number>): Float64Array {
    const { n, J, u, W, D } = this;
    const x = this.forward(y);
    for (let i = 0; i < n; i++) x[i] = x[i]! / D[i]!;
    const g = new Float64Array(J);
    const h = new Float64Array(J);
    const P = this.phi;
    const JJ = J * J;
    for (let i = n - 2; i >= 0; i--) {
      // g_i = Φ_{i+1}ᵀ (u x_{i+1} + g_{i+1}); x_i −= W_iᵀ g_i.
      const xn = x[i + 1]!;
      for (let a = 0; a < J; a++) h[a] = u[a]! * xn + g[a]!;
      const o = (i + 1) * JJ;
      let wg = 0;
      for (let b = 0; b < J; b++) {
        let s = 0;
        for (let a = 0; a < J; a++) s += P[o + a * J + b]! * h[a]!;
        g[b] = s;
        wg += W[i * J + b]! * s;
      }
      x[i] = x[i]! - wg;
    }
    return x;
  }

  /** log N(y | 0, K) = −½(yᵀK⁻¹y + log|K| + N log 2π), using only the forward pass. */
  logLikelihood(y: ArrayLike<number>): number {
    const z = this.forward(y);
    let q = 0;
    for (let i = 0; i < this.n; i++) q += (z[i]! * z[i]!) / this.D[i]!;
    return -0.5 * (q + this.logDet() + this.n * Math.log(2 * Math.PI));
  }
}

/** S = P T Pᵀ for J×J row-major matrices, P read from `phi` at offset `o` (two J³ passes). */
function mulPTPt(phi: Float64Array, o: number, T: Float64Array, S: Float64Array, M: Float64Array, J: number): void {
  // M = P T
  for (let a = 0; a < J; a++) {
    for (let d = 0; d < J; d++) {
      let s = 0;
      for (let c = 0; c < J; c++) s += phi[o + a * J + c]! * T[c * J + d]!;
      M[a * J + d] = s;
    }
  }
  // S = M Pᵀ
  for (let a = 0; a < J; a++) {
    for (let b = 0; b < J; b++) {
      let s = 0;
      for (let d = 0; d < J; d++) s += M[a * J + d]! * phi[o + b * J + d]!;
      S[a * J + b] = s;
    }
  }
}
