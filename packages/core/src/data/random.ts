/**
 * A small seeded random-number generator whose whole state is four uint32 words, so it can
 * be saved in a checkpoint (JSON) and restored to continue the exact same sequence.
 * Algorithm: xoshiro128** 1.1 (Blackman & Vigna 2018), seeded through SplitMix32.
 */
import { ValueError } from '../errors/index.js';

/** The serialisable state of an {@link Rng}: four uint32 words, not all zero. */
export type RngState = [number, number, number, number];

/** Seeded xoshiro128** generator. */
export class Rng {
  private s: Uint32Array;

  private constructor(s: Uint32Array) {
    this.s = s;
  }

  /** A generator seeded from any integer (or a string, hashed). Equal seeds give equal sequences. */
  static fromSeed(seed: number | string): Rng {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) throw new ValueError(`seed must be a safe integer, got ${seed}`);
    let x = typeof seed === 'string' ? hashString(seed) : (seed >>> 0) ^ (Math.floor(seed / 2 ** 32) >>> 0);
    const s = new Uint32Array(4);
    for (let i = 0; i < 4; i++) {
      // SplitMix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if (s.every((w) => w === 0)) s[0] = 1;
    return new Rng(s);
  }

  /** Restore a generator from {@link Rng.state}; {@link ValueError} for a malformed state. */
  static fromState(state: readonly number[]): Rng {
    if (state.length !== 4 || !state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) || state.every((w) => w === 0)) {
      throw new ValueError(`invalid RNG state ${JSON.stringify(state)}: expected four uint32 words, not all zero`);
    }
    return new Rng(Uint32Array.from(state));
  }

  /** A copy of the current state (JSON-serialisable). */
  state(): RngState {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  /** Next uniformly distributed uint32. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [0, n), without modulo bias (rejection of the top partial range). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new ValueError(`nextInt bound must be an integer in 1..2^32, got ${n}`);
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Shuffle `array` in place (Fisher–Yates) and return it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
