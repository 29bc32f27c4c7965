import { ValueError } from '../errors/index.js';

/** The xoshiro128** stream position: four unsigned 32-bit words, not all zero. */
export type RngWords = [number, number, number, number];

/**
 * Complete, JSON-serialisable state of an {@link Rng}: restoring it with
 * {@link Rng.fromState} continues exactly the same draws and forks the same children.
 */
export interface RngState {
  /** xoshiro128** words. */
  words: RngWords;
  /** Seed path: the root seed, then `/name` for each {@link Rng.fork} (e.g. `'42/init/encoder'`). */
  path: string;
  /** Unnamed children spawned so far (see {@link Rng.spawn}). */
  spawned: number;
  /** Second Box–Muller deviate waiting to be returned by {@link Rng.normal}, or `null`. */
  spare: number | null;
}

const TWO32 = 4294967296;

/**
 * The project's one seeded random-number generator: xoshiro128** 1.1 (Blackman & Vigna 2018)
 * seeded through splitmix32, drawn in JavaScript so that one seed gives identical numbers on
 * every backend.
 *
 * - `new Rng(seed)`: for integer seeds in [−2³¹, 2³²) the stream is exactly that of the
 *   former `TrainRng` (fit checkpoints stay valid); larger safe integers mix in their high bits.
 * - `uniform()` returns float64 values in [0, 1) with 53 random bits (two 32-bit draws);
 *   `uniform32()` uses one draw (32 bits) for float32 work.
 * - `normal()` is Box–Muller; the second deviate of each pair is kept in the state, so
 *   {@link Rng.state} is complete.
 * - `fork(name)` gives a deterministic, independent child stream that depends only on this
 *   generator's seed path and `name`, never on how many numbers were drawn — so adding a
 *   draw in one part of a program does not change another part's randomness. Name children
 *   after what they drive: `rng.fork('init')`, `rng.fork('dropout')`, `rng.fork('data')`.
 */
export class Rng {
  private s: RngWords;
  private seedPath: string;
  private spawned = 0;
  private spare: number | null = null;

  /**
   * @param seed an integer (safe integer range); equal seeds give equal streams.
   * @throws ValueError if `seed` is not an integer.
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new ValueError(`seed must be a safe integer, got ${seed}`);
    const compat = seed >= -0x80000000 && seed < TWO32;
    let x = (seed ^ 0x2545f491) >>> 0;
    if (!compat) x = (x ^ fmix32((Math.floor(seed / TWO32) | 0) + 0x6a09e667)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = [next(), next(), next(), next()];
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    this.seedPath = compat ? String(seed >>> 0) : String(seed);
  }

  /**
   * A generator at `state` (from {@link Rng.state}). A bare array of four words (the format
   * of older checkpoints) is accepted too; its seed path is then `words:a,b,c,d`.
   */
  static fromState(state: RngState | readonly number[]): Rng {
    const r = new Rng(0);
    if (isWords(state)) r.seedPath = `words:${state.join(',')}`;
    r.setState(state);
    return r;
  }

  /** This generator's seed path (`'42'`, `'42/init'`, ...). */
  get path(): string {
    return this.seedPath;
  }

  /** Copy of the complete state (JSON-serialisable). */
  state(): RngState {
    return { words: [...this.s], path: this.seedPath, spawned: this.spawned, spare: this.spare };
  }

  /**
   * Jump to `state`. A full {@link RngState} replaces everything; an array of four words
   * moves the stream only (seed path and spawn count kept, pending normal deviate dropped).
   * @throws ValueError unless the words are four uint32 values, not all zero.
   */
  setState(state: RngState | readonly number[]): void {
    const words = isWords(state) ? state : state?.words;
    if (!Array.isArray(words) || words.length !== 4 || words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new ValueError(`RNG state must hold four uint32 words, got ${JSON.stringify(words)}`);
    }
    if (words.every((w) => w === 0)) throw new ValueError('RNG state must not be all zero');
    if (!isWords(state)) {
      const st = state as RngState;
      if (typeof st.path !== 'string') throw new ValueError(`RNG state.path must be a string, got ${JSON.stringify(st.path)}`);
      if (!Number.isSafeInteger(st.spawned) || st.spawned < 0)
        throw new ValueError(`RNG state.spawned must be an integer ≥ 0, got ${st.spawned}`);
      if (st.spare !== null && !Number.isFinite(st.spare))
        throw new ValueError(`RNG state.spare must be a finite number or null, got ${st.spare}`);
      this.seedPath = st.path;
      this.spawned = st.spawned;
      this.spare = st.spare;
    } else this.spare = null;
    this.s = [words[0]!, words[1]!, words[2]!, words[3]!];
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

  /**
   * Uniform float64: in [0, 1) with 53 random bits (two 32-bit draws), or in [lo, hi).
   * @throws ValueError if `lo`/`hi` are not finite with lo < hi.
   */
  uniform(lo?: number, hi?: number): number {
    const u = ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
    if (lo === undefined && hi === undefined) return u;
    const [a, b] = checkRange(lo ?? 0, hi ?? 1, 'uniform');
    const v = a + (b - a) * u;
    return v < b ? v : a; // rounding can reach b
  }

  /**
   * Uniform float in [0, 1) with 32 random bits from a single draw: half the cost of
   * {@link Rng.uniform}, enough for float32 work (dropout masks, initialisers).
   */
  uniform32(): number {
    return this.nextUint32() / TWO32;
  }

  /** Normal deviate with mean `mean` and standard deviation `sd` (Box–Muller, both values of a pair used). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isFinite(mean) || !(sd >= 0) || !Number.isFinite(sd)) {
      throw new ValueError(`normal(mean, sd) needs finite mean and sd ≥ 0, got mean = ${mean}, sd = ${sd}`);
    }
    let z: number;
    if (this.spare !== null) {
      z = this.spare;
      this.spare = null;
    } else {
      let u = this.uniform();
      while (u === 0) u = this.uniform();
      const v = this.uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      this.spare = r * Math.sin(2 * Math.PI * v);
      z = r * Math.cos(2 * Math.PI * v);
    }
    return mean + sd * z;
  }

  /**
   * Uniform integer in [0, n) without modulo bias (rejection of the top partial range).
   * @throws ValueError unless n is an integer in 1..2³².
   */
  below(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO32) throw new ValueError(`below(n) needs an integer 1 ≤ n ≤ 2^32, got ${n}`);
    const limit = TWO32 - (TWO32 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /**
   * Uniform integer in [lo, hi) (hi exclusive, as numpy's `integers`).
   * @throws ValueError unless lo < hi are safe integers at most 2³² apart.
   */
  int(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi <= lo || hi - lo > TWO32) {
      throw new ValueError(`int(lo, hi) needs integers lo < hi with hi − lo ≤ 2^32, got lo = ${lo}, hi = ${hi}`);
    }
    return lo + this.below(hi - lo);
  }

  /** Shuffle `array` in place (Fisher–Yates, from the end) and return it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** A uniformly random permutation of 0..n−1 (the identity shuffled with {@link Rng.shuffle}). */
  permutation(n: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > 0x7fffffff) throw new ValueError(`permutation(n) needs an integer n ≥ 0, got ${n}`);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** Fill `out` with uniform values in [lo, hi) (default [0, 1)) and return it. */
  fillUniform<A extends Float32Array | Float64Array>(out: A, lo = 0, hi = 1): A {
    const [a, b] = checkRange(lo, hi, 'fillUniform');
    for (let i = 0; i < out.length; i++) {
      const v = a + (b - a) * this.uniform();
      out[i] = v < b ? v : a;
    }
    if (out instanceof Float32Array) for (let i = 0; i < out.length; i++) if (out[i]! >= b) out[i] = a; // float32 rounding
    return out;
  }

  /** Fill `out` with normal deviates (mean `mean`, standard deviation `sd`) and return it. */
  fillNormal<A extends Float32Array | Float64Array>(out: A, mean = 0, sd = 1): A {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, sd);
    return out;
  }

  /**
   * A child generator whose stream depends only on this generator's seed path and `name`
   * (the child's path is `path + '/' + name`, hashed to 128 bits). It does not depend on how
   * many numbers this generator has drawn, and it draws nothing from it: `fork` the same name
   * twice and you get the same stream. Different names give independent streams.
   */
  fork(name: string): Rng {
    if (typeof name !== 'string' || name === '') throw new ValueError(`fork(name) needs a non-empty string, got ${JSON.stringify(name)}`);
    return Rng.atPath(`${this.seedPath}/${name}`);
  }

  /**
   * The next unnamed child: the k-th call returns the child at path `path + '/#k'`
   * (numpy's `SeedSequence.spawn`). It depends on the number of earlier `spawn` calls (kept
   * in the state) but not on other draws. Prefer {@link Rng.fork} with a name.
   */
  spawn(): Rng {
    const k = this.spawned++;
    return Rng.atPath(`${this.seedPath}/#${k}`);
  }

  private static atPath(path: string): Rng {
    const r = new Rng(0);
    r.s = pathWords(path);
    r.seedPath = path;
    return r;
  }
}

function isWords(state: unknown): state is readonly number[] {
  return Array.isArray(state);
}

function checkRange(lo: number, hi: number, what: string): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
    throw new ValueError(`${what}(lo, hi) needs finite lo < hi, got lo = ${lo}, hi = ${hi}`);
  }
  return [lo, hi];
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** MurmurHash3's 32-bit finaliser (full avalanche). */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** MurmurHash3 (x86, 32-bit) of the UTF-16 code units of `s`, two per block, with `seed`. */
function murmur3(s: string, seed: number): number {
  let h = seed >>> 0;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    let k = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)) >>> 0;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (i < n) {
    let k = s.charCodeAt(i);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= n * 2;
  return fmix32(h);
}

/** 128-bit seed words of a seed path: four MurmurHash3 lanes with different seeds, cross-mixed. */
function pathWords(path: string): RngWords {
  const a = murmur3(path, 0x9e3779b9);
  const b = murmur3(path, 0x243f6a88);
  const c = murmur3(path, 0xb7e15162);
  const d = murmur3(path, 0x3c6ef372);
  const w: RngWords = [fmix32(a ^ rotl(d, 7)), fmix32(b ^ rotl(a, 11)), fmix32(c ^ rotl(b, 17)), fmix32(d ^ rotl(c, 23))];
  if ((w[0] | w[1] | w[2] | w[3]) === 0) w[0] = 1;
  return w;
}
