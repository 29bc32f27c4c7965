import { describe, expect, it } from 'vitest';
import { AbortError, ShapeError, ValueError } from '@astro/core';
import { AutocorrError, DEMove, EnsembleSampler, Rng, StretchMove, ensembleConditionNumber, ksStatistic } from '../../src/index.js';
import { columnMoments, gaussianLogProb, loadFixture } from './fixture.js';

function ball(nWalkers: number, nDim: number, seed: number, scale = 0.1, center: number[] = []): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: nWalkers * nDim }, (_, i) => (center[i % nDim] ?? 0) + scale * rng.normal());
}

describe('EnsembleSampler on N(0, 1) (emcee-style seeded statistical test)', () => {
  for (const [name, moves] of [
    ['stretch', new StretchMove()],
    ['de', new DEMove()],
    [
      'de + stretch mixture',
      [
        [new DEMove(), 0.8],
        [new StretchMove(), 0.2],
      ] as Array<[DEMove | StretchMove, number]>,
    ],
  ] as const) {
    it(`${name}: |mean| < 0.08, |std − 1| < 0.05, KS < 0.05, acceptance in a sane window`, async () => {
      const nDim = 3;
      const sampler = new EnsembleSampler({ nWalkers: 32, nDim, logProb: gaussianLogProb([1, 1, 1]), moves, seed: 5 });
      await sampler.run(ball(32, nDim, 1), 2500);
      const acc = sampler.acceptanceFraction;
      const meanAcc = acc.reduce((a, b) => a + b, 0) / acc.length;
      expect(meanAcc).toBeGreaterThan(0.2);
      expect(meanAcc).toBeLessThan(0.9);
      const tau = sampler.getAutocorrTime({ discard: 500 });
      const thin = Math.max(1, Math.floor(Math.max(...tau) / 2));
      const flat = sampler.getChain({ discard: 500, thin, flat: true });
      for (let d = 0; d < nDim; d++) {
        const { mean, std, column } = columnMoments(flat.data, nDim, d);
        expect(Math.abs(mean)).toBeLessThan(0.08);
        expect(Math.abs(std - 1)).toBeLessThan(0.05);
        expect(ksStatistic(column)).toBeLessThan(0.05);
      }
    });
  }
});

describe('EnsembleSampler agrees with emcee on a line with intrinsic scatter', () => {
  interface Fx {
    line_scatter: {
      x: number[];
      y: number[];
      yerr: number[];
      emcee: { mean: number[]; std: number[]; tau: number[]; q16: number[]; q50: number[]; q84: number[] };
    };
  }
  const fx = loadFixture<Fx>('mcmc.json').line_scatter;
  const { x, y, yerr } = fx;
  const logProb = (t: Float64Array): number => {
    const [m, b, logS] = [t[0]!, t[1]!, t[2]!];
    if (!(logS > -10 && logS < 2)) return -Infinity;
    const s2 = Math.exp(2 * logS);
    let lp = 0;
    for (let i = 0; i < x.length; i++) {
      const v = yerr[i]! ** 2 + s2;
      lp -= 0.5 * ((y[i]! - m * x[i]! - b) ** 2 / v + Math.log(2 * Math.PI * v));
    }
    return lp;
  };

  it('posterior quantiles within 0.1σ and m, b moments within 0.1σ / 6% of emcee’s (20 000-step run)', async () => {
    const sampler = new EnsembleSampler({ nWalkers: 32, nDim: 3, logProb, seed: 11 });
    await sampler.run(ball(32, 3, 2, 1e-3, [0.8, 2, Math.log(0.5)]), 7000);
    const tau = sampler.getAutocorrTime({ discard: 1500 });
    for (let d = 0; d < 3; d++) {
      expect(tau[d]! / fx.emcee.tau[d]!).toBeGreaterThan(0.6);
      expect(tau[d]! / fx.emcee.tau[d]!).toBeLessThan(1.6);
    }
    const flat = sampler.getChain({ discard: 1500, flat: true });
    for (let d = 0; d < 3; d++) {
      const { mean, std, column } = columnMoments(flat.data, 3, d);
      const sigma = fx.emcee.std[d]!;
      column.sort();
      const q = (p: number): number => column[Math.floor(p * (column.length - 1))]!;
      expect(Math.abs(q(0.16) - fx.emcee.q16[d]!) / sigma).toBeLessThan(0.1);
      expect(Math.abs(q(0.5) - fx.emcee.q50[d]!) / sigma).toBeLessThan(0.1);
      expect(Math.abs(q(0.84) - fx.emcee.q84[d]!) / sigma).toBeLessThan(0.1);
      // log s has a long left tail towards its prior bound, so its moments converge slowly.
      if (d < 2) {
        expect(Math.abs(mean - fx.emcee.mean[d]!) / sigma).toBeLessThan(0.1);
        expect(Math.abs(std / sigma - 1)).toBeLessThan(0.06);
      }
    }
  });
});

describe('EnsembleSampler API (emcee semantics)', () => {
  const lp = gaussianLogProb([1, 2]);

  it('stores the chain [nSteps, nWalkers, nDim] with emcee’s discard/thin convention, log-probs and blobs', async () => {
    const sampler = new EnsembleSampler<{ r2: number }>({
      nWalkers: 8,
      nDim: 2,
      logProb: (t) => ({ logProb: lp(t), blob: { r2: t[0]! ** 2 + t[1]! ** 2 } }),
      seed: 3,
    });
    await sampler.run(ball(8, 2, 4), 20);
    await sampler.run(null, 10); // continue from the last state
    expect(sampler.iteration).toBe(30);
    const chain = sampler.getChain();
    expect([chain.nSteps, chain.nWalkers, chain.nDim]).toEqual([30, 8, 2]);
    const sub = sampler.getChain({ discard: 10, thin: 5 });
    expect(sub.nSteps).toBe(4); // steps 14, 19, 24, 29
    expect(Array.from(sub.data.subarray(0, 16))).toEqual(Array.from(chain.data.subarray(14 * 16, 15 * 16)));
    const flat = sampler.getChain({ discard: 10, thin: 5, flat: true });
    expect(flat.n).toBe(32);
    const logp = sampler.getLogProb();
    const blobs = sampler.getBlobs();
    expect(logp.length).toBe(240);
    expect(blobs.length).toBe(240);
    for (const i of [0, 77, 239]) {
      const th = chain.data.subarray(i * 2, i * 2 + 2);
      expect(logp[i]).toBeCloseTo(lp(th), 12);
      expect(blobs[i]!.r2).toBeCloseTo(th[0]! ** 2 + th[1]! ** 2, 12);
    }
    expect(sampler.lastPositions).toEqual(chain.data.slice(29 * 16));
    const acc = sampler.acceptanceFraction;
    expect(acc.length).toBe(8);
    for (const a of acc) expect(a).toBeGreaterThanOrEqual(0);
  });

  it('is reproducible from its seed', async () => {
    const run = async (): Promise<Float64Array> => {
      const s = new EnsembleSampler({ nWalkers: 6, nDim: 2, logProb: lp, seed: 99 });
      await s.run(ball(6, 2, 1), 50);
      return s.getChain().data;
    };
    expect(await run()).toEqual(await run());
  });

  it('a vectorised, asynchronous logProbBatch gives the same chain as logProb, one call per half-ensemble', async () => {
    const scalar = new EnsembleSampler({
      nWalkers: 6,
      nDim: 2,
      logProb: lp,
      moves: [
        [new StretchMove(), 0.7],
        [new DEMove(), 0.3],
      ],
      seed: 5,
    });
    await scalar.run(ball(6, 2, 1), 40);
    let calls = 0;
    const sizes = new Set<number>();
    const batch = async (thetas: Float64Array, n: number, nDim: number): Promise<number[]> => {
      calls++;
      sizes.add(n);
      await new Promise((r) => setTimeout(r, 0)); // resolves later, as a GPU readback would
      return Array.from({ length: n }, (_, i) => lp(thetas.subarray(i * nDim, (i + 1) * nDim)));
    };
    const vectorised = new EnsembleSampler({
      nWalkers: 6,
      nDim: 2,
      logProbBatch: batch,
      moves: [
        [new StretchMove(), 0.7],
        [new DEMove(), 0.3],
      ],
      seed: 5,
    });
    await vectorised.run(ball(6, 2, 1), 40);
    expect(vectorised.getChain().data).toEqual(scalar.getChain().data);
    expect(vectorised.getLogProb()).toEqual(scalar.getLogProb());
    expect(vectorised.acceptanceFraction).toEqual(scalar.acceptanceFraction);
    expect(calls).toBe(1 + 40 * 2); // the initial ensemble, then each half of each step
    expect([...sizes].sort()).toEqual([3, 6]);
    // exactly one of the two; a batch of the wrong length or with NaN is refused
    expect(() => new EnsembleSampler({ nWalkers: 6, nDim: 2 })).toThrow(/exactly one of logProb and logProbBatch/);
    expect(() => new EnsembleSampler({ nWalkers: 6, nDim: 2, logProb: lp, logProbBatch: batch })).toThrow(ValueError);
    await expect(
      new EnsembleSampler({ nWalkers: 6, nDim: 2, logProbBatch: (_t, n) => new Float64Array(n - 1) }).run(ball(6, 2, 1), 2),
    ).rejects.toThrow(ShapeError);
    await expect(
      new EnsembleSampler({ nWalkers: 6, nDim: 2, logProbBatch: (_t, n) => new Float64Array(n).fill(NaN) }).run(ball(6, 2, 1), 2),
    ).rejects.toThrow(/returned NaN/);
  });

  it('refuses degenerate walkers (condition number > 1e8), too few walkers and bad input', async () => {
    const same = new Float64Array(16).fill(0.5);
    const s = new EnsembleSampler({ nWalkers: 8, nDim: 2, logProb: lp });
    await expect(s.run(same, 5)).rejects.toThrow(/condition number/);
    // Walkers on a line in 2-D are linearly dependent after centring.
    const line = Float64Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? i : 2 * (i - 1)));
    expect(ensembleConditionNumber(line, 8, 2)).toBe(Infinity);
    expect(ensembleConditionNumber(ball(8, 2, 1), 8, 2)).toBeLessThan(100);
    expect(() => new EnsembleSampler({ nWalkers: 3, nDim: 2, logProb: lp })).toThrow(/twice the number of dimensions/);
    await expect(s.run(ball(8, 2, 1).fill(NaN, 0, 1), 5)).rejects.toThrow(ValueError);
    await expect(s.run([[0, 1]], 5)).rejects.toThrow(ShapeError);
    const nan = new EnsembleSampler({ nWalkers: 8, nDim: 2, logProb: () => NaN });
    await expect(nan.run(ball(8, 2, 1), 5)).rejects.toThrow(/NaN/);
    expect(() => s.getChain()).toThrow(/run\(\) first/);
  });

  it('aborts through an AbortSignal', async () => {
    const ac = new AbortController();
    ac.abort();
    const s = new EnsembleSampler({ nWalkers: 8, nDim: 2, logProb: lp });
    await expect(s.run(ball(8, 2, 1), 100, { signal: ac.signal })).rejects.toThrow(AbortError);
  });

  it('reports progress and raises AutocorrError on a short chain', async () => {
    const seen: number[] = [];
    const s = new EnsembleSampler({ nWalkers: 8, nDim: 2, logProb: lp, seed: 1 });
    await s.run(ball(8, 2, 1), 40, { progress: (p) => seen.push(p.step) });
    expect(seen.length).toBe(40);
    expect(seen[39]).toBe(40);
    expect(() => s.getAutocorrTime()).toThrow(AutocorrError);
    expect(s.getAutocorrTime({ quiet: true }).length).toBe(2);
  });
});
