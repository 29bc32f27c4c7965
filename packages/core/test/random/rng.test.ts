import { describe, expect, it } from 'vitest';
import { Rng, ValueError, type RngState } from '../../src/index.js';
import { Rng as NnRng } from '../../src/nn/index.js';
import { Rng as DataRng } from '../../src/data/index.js';

/** The former `TrainRng` (train/rng.ts before the one Rng), copied verbatim as the reference stream. */
class OldTrainRng {
  private s: number[];
  constructor(seed: number) {
    let x = (Math.trunc(seed) ^ 0x2545f491) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = [next(), next(), next(), next()];
  }
  nextUint32(): number {
    const s = this.s as [number, number, number, number];
    const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;
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
  below(n: number): number {
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }
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

/** Φ(x) through erfc (Numerical Recipes' Chebyshev fit, |error| < 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Kolmogorov–Smirnov statistic D of a sample against a continuous CDF. */
function ksStatistic(sample: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(sample).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}
/** KS critical value at significance 1e-4 (asymptotic: sqrt(−ln(α/2)/2)/√n). */
const ksCritical = (n: number): number => Math.sqrt(-Math.log(0.5e-4) / 2) / Math.sqrt(n);

function chi2(counts: number[], expected: number): number {
  return counts.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
}

describe('Rng (xoshiro128**)', () => {
  it('matches the reference sequence from words [1, 2, 3, 4] (values from an independent Python implementation)', () => {
    const r = Rng.fromState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('draws exactly the former TrainRng stream (raw words and permutations), so old checkpoints resume', () => {
    for (const seed of [0, 1, 7, 42, 123456, -1, -5, 2 ** 31 + 3, 2 ** 32 - 1]) {
      const a = new Rng(seed);
      const b = new OldTrainRng(seed);
      for (let i = 0; i < 50; i++) expect(a.nextUint32()).toBe(b.nextUint32());
      expect(Array.from(a.permutation(37))).toEqual(Array.from(b.permutation(37)));
    }
  });

  it('is the class exported by @astro/core/nn and @astro/core/data (one generator)', () => {
    expect(NnRng).toBe(Rng);
    expect(DataRng).toBe(Rng);
  });

  it('round-trips its complete state through JSON, pending normal deviate included', () => {
    const a = new Rng(42);
    for (let i = 0; i < 7; i++) a.normal(); // odd count: a spare is pending
    a.spawn();
    const saved = JSON.parse(JSON.stringify(a.state())) as RngState;
    expect(saved.spare).not.toBeNull();
    const b = Rng.fromState(saved);
    for (let i = 0; i < 100; i++) expect(b.normal()).toBe(a.normal());
    expect(b.spawn().nextUint32()).toBe(a.spawn().nextUint32());
    expect(b.fork('x').uniform()).toBe(a.fork('x').uniform());
    const c = new Rng(0);
    c.setState(a.state());
    expect(c.uniform()).toBe(a.uniform());
    expect(c.path).toBe('42');
  });

  it('gives uniform float64s in [0, 1): mean, variance within 5σ and KS below the 1e-4 critical value', () => {
    const r = new Rng(7);
    const n = 100_000;
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) u[i] = r.uniform();
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = u.reduce((a, b) => a + b, 0) / n;
    const variance = u.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n)); // Var(s²) ≈ (μ4 − σ⁴)/n = 1/180/n
    expect(ksStatistic(u, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksCritical(n));
    // 53 random bits: values are not all multiples of 2^-32
    expect(u.some((x) => (x * 2 ** 32) % 1 !== 0)).toBe(true);
    const w = new Float64Array(50_000);
    for (let i = 0; i < w.length; i++) w[i] = r.uniform32();
    expect(w.every((x) => x >= 0 && x < 1 && (x * 2 ** 32) % 1 === 0)).toBe(true);
    expect(ksStatistic(w, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksCritical(w.length));
    const v = new Float64Array(20_000);
    for (let i = 0; i < v.length; i++) v[i] = r.uniform(-3, 5);
    expect(v.every((x) => x >= -3 && x < 5)).toBe(true);
    expect(ksStatistic(v, (x) => (x + 3) / 8)).toBeLessThan(ksCritical(v.length));
  });

  it('gives normal deviates: mean, variance, kurtosis within bounds and KS below the 1e-4 critical value', () => {
    const r = new Rng(11);
    const n = 100_000;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = r.normal();
    const mean = z.reduce((a, b) => a + b, 0) / n;
    const m2 = z.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    const m4 = z.reduce((a, b) => a + (b - mean) ** 4, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 / (m2 * m2) - 3)).toBeLessThan(5 * Math.sqrt(24 / n));
    expect(ksStatistic(z, normalCdf)).toBeLessThan(ksCritical(n));
    const w = new Float64Array(20_000);
    for (let i = 0; i < w.length; i++) w[i] = r.normal(10, 2);
    expect(ksStatistic(w, (x) => normalCdf((x - 10) / 2))).toBeLessThan(ksCritical(w.length));
  });

  it('fills float32/float64 arrays with the same stream as single draws', () => {
    const a = new Rng(5);
    const b = new Rng(5);
    const f = a.fillNormal(new Float64Array(11), 1, 3);
    for (let i = 0; i < 11; i++) expect(f[i]).toBe(b.normal(1, 3));
    const g = a.fillUniform(new Float32Array(1000), 2, 4);
    expect(g.every((x) => x >= 2 && x < 4)).toBe(true);
    for (let i = 0; i < 1000; i++) expect(g[i]).toBe(Math.fround(b.uniform(2, 4)));
  });

  it('draws unbiased integers: below(7) and int(−3, 2) pass χ² tests', () => {
    const r = new Rng(3);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.below(7)]!++;
    expect(chi2(counts, 10_000)).toBeLessThan(30); // 6 dof: P(χ² > 30) ≈ 4e-5
    const c2 = new Array<number>(5).fill(0);
    for (let i = 0; i < 50_000; i++) {
      const k = r.int(-3, 2);
      expect(k >= -3 && k < 2).toBe(true);
      c2[k + 3]!++;
    }
    expect(chi2(c2, 10_000)).toBeLessThan(25); // 4 dof: P(χ² > 25) ≈ 5e-5
    expect(r.below(2 ** 32)).toBeLessThan(2 ** 32);
  });

  it('shuffles and permutes uniformly: all 24 orders of 4 items equally likely (χ², 23 dof)', () => {
    const r = new Rng(9);
    const seen = new Map<string, number>();
    const seenPerm = new Map<string, number>();
    const n = 48_000;
    for (let t = 0; t < n; t++) {
      const a = r.shuffle(['a', 'b', 'c', 'd']).join('');
      seen.set(a, (seen.get(a) ?? 0) + 1);
      const p = Array.from(r.permutation(4)).join('');
      seenPerm.set(p, (seenPerm.get(p) ?? 0) + 1);
    }
    expect(seen.size).toBe(24);
    expect(seenPerm.size).toBe(24);
    expect(chi2([...seen.values()], n / 24)).toBeLessThan(56); // P(χ²₂₃ > 56) ≈ 1.3e-4
    expect(chi2([...seenPerm.values()], n / 24)).toBeLessThan(56);
    const p = r.permutation(1000);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('forks deterministic children that ignore the parent’s draws', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    for (let i = 0; i < 1000; i++) b.uniform();
    const fa = a.fork('init');
    const fb = b.fork('init');
    expect(fa.path).toBe('42/init');
    for (let i = 0; i < 20; i++) expect(fa.nextUint32()).toBe(fb.nextUint32());
    // forking draws nothing from the parent
    const c = new Rng(42);
    c.fork('x');
    expect(c.nextUint32()).toBe(new Rng(42).nextUint32());
    // nested paths are paths
    expect(a.fork('init').fork('layer0').path).toBe('42/init/layer0');
    expect(a.fork('init').fork('layer0').nextUint32()).toBe(new Rng(42).fork('init').fork('layer0').nextUint32());
    // spawn is counter-based and in the state
    const s1 = new Rng(1);
    const s2 = new Rng(1);
    s2.uniform();
    expect(s1.spawn().nextUint32()).toBe(s2.spawn().nextUint32());
    expect(s1.spawn().path).toBe('1/#1');
  });

  it('forks independent streams: different names, seeds and the parent are uncorrelated (|r| < 5/√n)', () => {
    const n = 50_000;
    const streams = [
      new Rng(1),
      new Rng(1).fork('a'),
      new Rng(1).fork('b'),
      new Rng(2).fork('a'),
      new Rng(1).fork('a').fork('a'),
      new Rng(1).spawn(),
    ];
    const draws = streams.map((r) => {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = r.uniform() - 0.5;
      return v;
    });
    for (let i = 0; i < draws.length; i++) {
      for (let j = i + 1; j < draws.length; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += draws[i]![k]! * draws[j]![k]!;
        const corr = s / n / (1 / 12);
        expect(Math.abs(corr)).toBeLessThan(5 / Math.sqrt(n));
      }
    }
    // many sibling forks: first words all distinct, and their bits balanced
    const firsts = new Set<number>();
    let ones = 0;
    for (let i = 0; i < 4096; i++) {
      const w = new Rng(0).fork(`layer${i}`).nextUint32();
      firsts.add(w);
      for (let b = 0; b < 32; b++) ones += (w >>> b) & 1;
    }
    expect(firsts.size).toBe(4096);
    const bits = 4096 * 32;
    expect(Math.abs(ones - bits / 2)).toBeLessThan(5 * Math.sqrt(bits / 4));
  });

  it('refuses bad seeds, states, names and bounds with ValueError', () => {
    expect(() => new Rng(0.5)).toThrow(ValueError);
    expect(() => new Rng(Number.NaN)).toThrow(/seed must be a safe integer/);
    expect(() => Rng.fromState([0, 0, 0, 0])).toThrow(ValueError);
    expect(() => Rng.fromState([1, 2, 3])).toThrow(/four uint32 words/);
    expect(() => Rng.fromState({ words: [1, 2, 3, 4], path: 'p', spawned: -1, spare: null })).toThrow(/spawned/);
    const r = new Rng(1);
    expect(() => r.below(0)).toThrow(/below\(n\)/);
    expect(() => r.int(3, 3)).toThrow(/int\(lo, hi\)/);
    expect(() => r.uniform(1, 0)).toThrow(/uniform\(lo, hi\)/);
    expect(() => r.normal(0, -1)).toThrow(/sd ≥ 0/);
    expect(() => r.fork('')).toThrow(/non-empty string/);
  });

  it('fork needs a name', () => {
    const a = new Rng(8);
    expect(() => (a.fork as unknown as () => Rng)()).toThrow(/non-empty string/);
  });
});
