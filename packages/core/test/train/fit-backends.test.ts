import { it, expect } from 'vitest';
import { tf } from '../../src/index.js';
import { AdamW } from '../../src/optim/index.js';
import { fit, evaluate, type FitProgress } from '../../src/train/index.js';
import { describeBackends } from '../../src/testing/index.js';
import { TinyMLP } from '../optim/tiny-mlp.js';
import { regression } from './helpers.js';

// The fit loop on every backend (kept small: webgpu runs on SwiftShader in CI). Exact resume
// is tested on cpu in fit-resume.test.ts; here: it trains, reads back asynchronously, leaks nothing.
await describeBackends('fit', ({ backend }) => {
  it('trains, validates and leaves the tensor count flat', async () => {
    const data = regression(40, 8); // 32 train + 8 validation rows, 2 batches of 16
    const m = new TinyMLP(3, 8, 2, 4);
    const before = tf.memory().numTensors;
    const opt = new AdamW(m.namedParameters(), { lr: 5e-2 });
    const counts: number[] = [];
    const res = await fit(m, data, {
      epochs: 3,
      batchSize: 16,
      optimizer: opt,
      validationSplit: 0.2,
      progressBar: false,
      onProgress: (p: FitProgress) => void (p.phase === 'epoch' && counts.push(tf.memory().numTensors)),
    });
    expect(tf.getBackend()).toBe(backend);
    expect(res.globalStep).toBe(6);
    expect(new Set(counts).size).toBe(1);
    expect(res.history.loss[2]!).toBeLessThan(res.history.loss[0]!);
    expect(res.history.valLoss).toHaveLength(3);
    const v = await evaluate(m, { x: data.x.slice(32), y: data.y.slice(32) });
    expect(v).toBeCloseTo(res.history.valLoss[2]!, 5);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before); // fit and the optimiser leave nothing behind
    m.dispose();
  });
});
