import { ValueError } from '@astro/core';

function pos(v: number, what: string): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new ValueError(`${what} must be positive and finite, got ${v}`);
  return v;
}

/**
 * A term of a celerite-style kernel (Foreman-Mackey et al. 2017) written as a linear
 * state-space model: k(τ) = uᵀ Φ(τ) v for τ ≥ 0 with Φ(τ) = exp(Fτ) a J×J transition
 * matrix. Sums of terms are block-diagonal, which is what makes the O(N J³) solver work.
 */
export abstract class CeleriteTerm {
  /** State dimension J of this term. */
  abstract readonly dim: number;
  /** Closed-form kernel value k(τ) (τ in the time units of the data). */
  abstract value(tau: number): number;
  /** Write Φ(τ) into the J_total×J_total matrix `out` at block offset `o`. */
  abstract transition(tau: number, out: Float64Array, stride: number, o: number): void;
  /** Write u and v into `u`, `v` at offset `o`. */
  abstract vectors(u: Float64Array, v: Float64Array, o: number): void;
  /** The terms of this kernel (one for a single term). */
  get terms(): CeleriteTerm[] {
    return [this];
  }
  /** k₁ + k₂. */
  plus(other: CeleriteTerm): CeleriteTerm {
    return new CeleriteTermSum([...this.terms, ...other.terms]);
  }
}

/** Sum of celerite terms (block-diagonal state space). */
export class CeleriteTermSum extends CeleriteTerm {
  readonly dim: number;
  constructor(private readonly parts: CeleriteTerm[]) {
    super();
    if (parts.length === 0) throw new ValueError('a celerite kernel needs at least one term');
    this.dim = parts.reduce((s, p) => s + p.dim, 0);
  }
  override get terms(): CeleriteTerm[] {
    return this.parts;
  }
  value(tau: number): number {
    return this.parts.reduce((s, p) => s + p.value(tau), 0);
  }
  transition(tau: number, out: Float64Array, stride: number, o: number): void {
    let off = o;
    for (const p of this.parts) {
      p.transition(tau, out, stride, off);
      off += p.dim;
    }
  }
  vectors(u: Float64Array, v: Float64Array, o: number): void {
    let off = o;
    for (const p of this.parts) {
      p.vectors(u, v, off);
      off += p.dim;
    }
  }
}

/** Real exponential term k(τ) = a e^(−cτ) (an Ornstein–Uhlenbeck process / damped random walk when a > 0). */
export class RealTerm extends CeleriteTerm {
  readonly dim = 1;
  readonly a: number;
  readonly c: number;
  constructor(opts: { a: number; c: number }) {
    super();
    if (!Number.isFinite(opts.a)) throw new ValueError(`RealTerm a must be finite, got ${opts.a}`);
    this.a = opts.a; // may be negative inside a positive-definite sum (overdamped SHO)
    this.c = pos(opts.c, 'RealTerm c');
  }
  value(tau: number): number {
    return this.a * Math.exp(-this.c * Math.abs(tau));
  }
  transition(tau: number, out: Float64Array, stride: number, o: number): void {
    out[o * stride + o] = Math.exp(-this.c * tau);
  }
  vectors(u: Float64Array, v: Float64Array, o: number): void {
    u[o] = 1;
    v[o] = this.a;
  }
}

/**
 * Complex term k(τ) = e^(−cτ)(a cos dτ + b sin dτ) (Foreman-Mackey et al. 2017, eq. 7), as a
 * damped rotation Φ = e^(−cτ) R(dτ). Positive definite when a > 0, c > 0 and |b d| ≤ a c.
 */
export class ComplexTerm extends CeleriteTerm {
  readonly dim = 2;
  constructor(
    readonly a: number,
    readonly b: number,
    readonly c: number,
    readonly d: number,
  ) {
    super();
    pos(a, 'ComplexTerm a');
    pos(c, 'ComplexTerm c');
    if (!Number.isFinite(b) || !Number.isFinite(d)) throw new ValueError('ComplexTerm b and d must be finite');
    if (Math.abs(b * d) > a * c * (1 + 1e-12))
      throw new ValueError(`ComplexTerm is not positive definite: |b·d| = ${Math.abs(b * d)} > a·c = ${a * c}`);
  }
  value(tau: number): number {
    const t = Math.abs(tau);
    return Math.exp(-this.c * t) * (this.a * Math.cos(this.d * t) + this.b * Math.sin(this.d * t));
  }
  transition(tau: number, out: Float64Array, stride: number, o: number): void {
    const e = Math.exp(-this.c * tau);
    const cs = e * Math.cos(this.d * tau);
    const sn = e * Math.sin(this.d * tau);
    out[o * stride + o] = cs;
    out[o * stride + o + 1] = sn;
    out[(o + 1) * stride + o] = -sn;
    out[(o + 1) * stride + o + 1] = cs;
  }
  vectors(u: Float64Array, v: Float64Array, o: number): void {
    u[o] = 1;
    u[o + 1] = 0;
    v[o] = this.a;
    v[o + 1] = this.b;
  }
}

/**
 * Matérn-3/2 term k(τ) = σ²(1 + √3τ/ρ) e^(−√3τ/ρ), represented exactly by a Jordan block
 * Φ = e^(−cτ)[[1, cτ], [0, 1]], c = √3/ρ (no ε approximation, unlike celerite's).
 */
export class Matern32Term extends CeleriteTerm {
  readonly dim = 2;
  readonly sigma: number;
  readonly rho: number;
  constructor(opts: { sigma: number; rho: number }) {
    super();
    this.sigma = pos(opts.sigma, 'Matern32Term sigma');
    this.rho = pos(opts.rho, 'Matern32Term rho');
  }
  value(tau: number): number {
    const x = (Math.sqrt(3) * Math.abs(tau)) / this.rho;
    return this.sigma ** 2 * (1 + x) * Math.exp(-x);
  }
  transition(tau: number, out: Float64Array, stride: number, o: number): void {
    jordan(Math.sqrt(3) / this.rho, tau, out, stride, o);
  }
  vectors(u: Float64Array, v: Float64Array, o: number): void {
    u[o] = 1;
    u[o + 1] = 0;
    v[o] = this.sigma ** 2;
    v[o + 1] = this.sigma ** 2;
  }
}

function jordan(c: number, tau: number, out: Float64Array, stride: number, o: number): void {
  const e = Math.exp(-c * tau);
  out[o * stride + o] = e;
  out[o * stride + o + 1] = e * c * tau;
  out[(o + 1) * stride + o] = 0;
  out[(o + 1) * stride + o + 1] = e;
}

/**
 * Stochastically driven damped simple harmonic oscillator (Foreman-Mackey et al. 2017, eq. 20),
 * with power spectrum S(ω) = √(2/π) S₀ω₀⁴ / ((ω² − ω₀²)² + ω₀²ω²/Q²). Q = 1/√2 is the
 * Harvey-like granulation profile used for stellar light curves (Kallinger et al. 2014).
 * Underdamped (Q > ½): one complex term; overdamped (Q < ½): two real terms; Q = ½: a Jordan block.
 */
export class SHOTerm extends CeleriteTerm {
  readonly S0: number;
  readonly w0: number;
  readonly Q: number;
  readonly dim: number;
  private readonly inner: CeleriteTerm | undefined;
  constructor(opts: { S0: number; w0: number; Q: number }) {
    super();
    this.S0 = pos(opts.S0, 'SHOTerm S0');
    this.w0 = pos(opts.w0, 'SHOTerm w0');
    this.Q = pos(opts.Q, 'SHOTerm Q');
    const { S0, w0, Q } = this;
    if (Q > 0.5) {
      const f = Math.sqrt(4 * Q * Q - 1);
      const a = S0 * w0 * Q;
      this.inner = new ComplexTerm(a, a / f, w0 / (2 * Q), (w0 * f) / (2 * Q));
    } else if (Q < 0.5) {
      const f = Math.sqrt(1 - 4 * Q * Q);
      this.inner = new CeleriteTermSum([
        new RealTerm({ a: 0.5 * S0 * w0 * Q * (1 + 1 / f), c: ((0.5 * w0) / Q) * (1 - f) }),
        new RealTerm({ a: 0.5 * S0 * w0 * Q * (1 - 1 / f), c: ((0.5 * w0) / Q) * (1 + f) }),
      ]);
    }
    this.dim = this.inner?.dim ?? 2;
    // Note: for Q < ½ the second real term has a < 0; the sum is positive definite.
  }
  value(tau: number): number {
    const { S0, w0, Q } = this;
    const t = Math.abs(tau);
    const pre = S0 * w0 * Q * Math.exp((-w0 * t) / (2 * Q));
    if (Q === 0.5) return pre * (1 + w0 * t);
    if (Q > 0.5) {
      const eta = Math.sqrt(1 - 1 / (4 * Q * Q));
      return pre * (Math.cos(eta * w0 * t) + Math.sin(eta * w0 * t) / (2 * eta * Q));
    }
    const eta = Math.sqrt(1 / (4 * Q * Q) - 1);
    return pre * (Math.cosh(eta * w0 * t) + Math.sinh(eta * w0 * t) / (2 * eta * Q));
  }
  transition(tau: number, out: Float64Array, stride: number, o: number): void {
    if (this.inner) this.inner.transition(tau, out, stride, o);
    else jordan(this.w0, tau, out, stride, o);
  }
  vectors(u: Float64Array, v: Float64Array, o: number): void {
    if (this.inner) {
      this.inner.vectors(u, v, o);
      return;
    }
    const s = this.S0 * this.w0 * this.Q;
    u[o] = 1;
    u[o + 1] = 0;
    v[o] = s;
    v[o + 1] = s;
  }
}
