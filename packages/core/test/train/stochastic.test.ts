// Dropout reseeding in fit: each (seed, step, layer) gets its own named fork of core's Rng.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { Dropout } from '../../src/nn/dropout.js';
import { Module } from '../../src/nn/module.js';
import { stochasticLayers, stochasticSeed } from '../../src/train/stochastic.js';

describe('stochasticSeed', () => {
  it("is the first draw of new Rng(seed).fork('dropout').fork(step).fork(layer)", () => {
    expect(stochasticSeed(7, 3, 1)).toBe(new Rng(7).fork('dropout').fork('3').fork('1').nextUint32());
    expect(stochasticSeed(7, 3, 1)).toBe(stochasticSeed(7, 3, 1));
  });

  it('differs across seeds, steps and layers', () => {
    const seen = new Set<number>();
    for (const seed of [0, 1, 2 ** 40])
      for (let step = 0; step < 20; step++) for (let layer = 0; layer < 5; layer++) seen.add(stochasticSeed(seed, step, layer));
    expect(seen.size).toBe(3 * 20 * 5);
  });
});

describe('stochasticLayers', () => {
  it('finds Dropout layers depth-first', () => {
    class Net extends Module {
      readonly a = this.child('a', new Dropout({ p: 0.1, seed: 1 }));
      readonly b = this.child('b', new Dropout({ p: 0.2, seed: 2 }));
    }
    const layers = stochasticLayers(new Net());
    expect(layers.map((l) => (l as unknown as Dropout).p)).toEqual([0.1, 0.2]);
  });
});
