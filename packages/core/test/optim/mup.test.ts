import { describe, it, expect, beforeAll } from 'vitest';
import { ready, tf } from '../../src/index.js';
import { MLP, mupLrMultipliers } from '../../src/nn/index.js';
import { AdamW } from '../../src/optim/index.js';

describe('AdamW with muP learning-rate multipliers from @astro/core/nn', () => {
  beforeAll(async () => {
    await ready({ backend: 'cpu', strict: true });
  });

  it('scales each parameter’s first Adam step to lr × its muP multiplier', async () => {
    // Adam's first step from zero moments is lr·g/(|g| + ε) ≈ ±lr per element (the bias
    // corrections cancel), so |Δθ| measures each parameter's effective learning rate.
    const width = 32;
    const model = new MLP({ sizes: [3, width, width, 2], activation: 'tanh', seed: 1 });
    const mult = mupLrMultipliers(model, { width, baseWidth: 8 }); // m = 4
    expect(mult).toEqual({
      'layers.0.weight': 1,
      'layers.0.bias': 1,
      'layers.1.weight': 0.25,
      'layers.1.bias': 1,
      'layers.2.weight': 0.25,
      'layers.2.bias': 1,
    });
    const lr = 1e-2;
    const opt = new AdamW(model.namedParameters(), { lr, lrMultipliers: mult, eps: 1e-12 });
    const before = Object.fromEntries(await Promise.all(model.namedParameters().map(async ([n, v]) => [n, await v.data()] as const)));
    const x = tf.randomNormal([16, 3], 0, 1, 'float32', 2);
    const y = tf.randomNormal([16, 2], 0, 1, 'float32', 3);
    tf.dispose(opt.minimize(() => tf.mean(tf.square(tf.sub(model.forward(x), y)))).loss);
    for (const [n, v] of model.namedParameters()) {
      const after = await v.data();
      const b = before[n]!;
      const want = lr * mult[n]!;
      let moved = 0;
      for (let i = 0; i < after.length; i++) {
        const d = Math.abs(after[i]! - b[i]!);
        if (d === 0) continue; // an element with an exactly zero gradient does not move
        moved++;
        expect(Math.abs(d - want), `${n}[${i}]`).toBeLessThan(want * 1e-3 + 2e-7);
      }
      expect(moved, n).toBeGreaterThan(after.length / 2);
    }
    tf.dispose([x, y]);
    opt.dispose();
    model.dispose();
  });
});
