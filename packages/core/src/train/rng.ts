import { ValueError } from '../errors/index.js';

/** Serialisable state of a {@link TrainRng}: four unsigned 32-bit words. */
export type RngState = [number, number, number, number];

/**
 * The training loop's seeded generator (xoshiro128**, Blackman & Vigna 2018, seeded through
 * splitmix32) with an exportable state, so a checkpoint can store it and a resumed run
 * draws exactly the same shuffles as an uninterrupted one.
 */
export class TrainRng {
  private s: RngState;

  /** @param seed any integer; equal seeds give equal streams. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new ValueError(`seed must be a finite number, got ${seed}`);
    let x = (Math.trunc(seed) ^ 0x2545f491) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = [next(), next(), next(), next()];
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** A generator positioned at `state` (from {@link TrainRng.state}). */
  static fromState(state: readonly number[]): TrainRng {
    const r = new TrainRng(0);
    r.setState(state);
    return r;
  }

  /** Copy of the current state. */
  state(): RngState {
    return [...this.s];
  }

  /** Jump to `state`; throws a {@link ValueError} unless it is four uint32 words, not all zero. */
  setState(state: readonly number[]): void {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new ValueError(`RNG state must be four uint32 words, got [${state.join(', ')}]`);
    }
    if (state.every((w) => w === 0)) throw new ValueError('RNG state must not be all zero');
    this.s = [state[0]!, state[1]!, state[2]!, state[3]!];
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform integer in [0, n) without modulo bias (Lemire's rejection). */
  below(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x100000000) throw new ValueError(`below(n) needs 1 ≤ n ≤ 2^32, got ${n}`);
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
