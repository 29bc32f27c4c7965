import { ValueError } from '@astro/core';

/**
 * A small, fast, seeded pseudo-random generator (xoshiro128**, Blackman & Vigna 2018)
 * producing float64 uniforms with 53 random bits and standard normals (Marsaglia polar
 * method). Every stochastic routine in this package takes one, so a run is reproducible
 * from its seed.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = NaN;

  /** Seed with any finite number (integer part and fraction both used). */
  constructor(seed = 0) {
    if (!Number.isFinite(seed)) throw new ValueError(`Rng seed must be finite, got ${seed}`);
    // splitmix32 expands the seed into the 128-bit state (never all zero).
    const whole = Math.floor(Math.abs(seed));
    const lo = whole >>> 0;
    const hi = Math.floor(whole / 4294967296) >>> 0;
    const frac = Math.round((Math.abs(seed) % 1) * 0x7fffffff);
    let x = (lo ^ 0x9e3779b9 ^ (seed < 0 ? 0x5bd1e995 : 0)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    x = (x ^ hi) >>> 0;
    this.s1 = next();
    x = (x ^ frac) >>> 0;
    this.s2 = next();
    this.s3 = next() | 1;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float64 on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform float64 on the open interval (0, 1), safe for logarithms. */
  uniformOpen(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /** Standard normal N(0, 1) by the Marsaglia polar method. */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Integer uniform on {0, …, n − 1}. */
  integer(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n)) throw new ValueError(`Rng.integer needs a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Fill a new Float64Array of length `n` with N(0, 1) draws. */
  normals(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  /** An independent generator derived from this one (for parallel streams). */
  spawn(): Rng {
    return new Rng(this.nextUint32() * 4294967296 + this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Accept either an {@link Rng} or a numeric seed (default seed 0). */
export function toRng(rng: Rng | number | undefined): Rng {
  return rng instanceof Rng ? rng : new Rng(rng ?? 0);
}
