import { beforeAll, describe, expect, it } from 'vitest';
import { ready, ShapeError, tf, ValueError } from '@astro/core';
import { registerTopKKernel, setDefaultTopKKernel, topK, topKKernels, blockedKernel, type TopKKernel } from '@astro/core/kernels';
import { gaussian } from './data.js';

describe('topK input validation', () => {
  beforeAll(async () => {
    await ready({ backend: 'cpu', strict: true });
  });
  const q = gaussian(3, 4, 1);
  const c = gaussian(10, 4, 2);

  it('rejects a dimension mismatch with a ShapeError naming both sizes', async () => {
    await expect(topK(q, gaussian(10, 5, 2), { k: 1 })).rejects.toThrow(ShapeError);
    await expect(topK(q, gaussian(10, 5, 2), { k: 1 })).rejects.toThrow(/dimension 4 .* dimension 5/);
  });

  it('rejects k outside [1, n]', async () => {
    await expect(topK(q, c, { k: 11 })).rejects.toThrow(ValueError);
    await expect(topK(q, c, { k: 11 })).rejects.toThrow(/\[1, 10\]/);
    await expect(topK(q, c, { k: 0 })).rejects.toThrow(ValueError);
    await expect(topK(q, c, { k: 2.5 })).rejects.toThrow(ValueError);
  });

  it('rejects NaN and Inf, saying where', async () => {
    const bad = { ...c, data: c.data.slice() };
    bad.data[2 * 4 + 3] = NaN;
    await expect(topK(q, bad, { k: 1 })).rejects.toThrow(/corpus contains NaN at row 2, column 3/);
    const badQ = { ...q, data: q.data.slice() };
    badQ.data[1] = -Infinity;
    await expect(topK(badQ, c, { k: 1 })).rejects.toThrow(ValueError);
  });

  it('rejects zero vectors for cosine, empty corpora and malformed matrices', async () => {
    const z = { ...c, data: c.data.slice() };
    z.data.fill(0, 4 * 4, 5 * 4);
    await expect(topK(q, z, { k: 1, metric: 'cosine' })).rejects.toThrow(/corpus row 4 is the zero vector/);
    await expect(topK(q, { data: new Float32Array(0), rows: 0, cols: 4 }, { k: 1 })).rejects.toThrow(ShapeError);
    await expect(topK(q, { data: new Float32Array(7), rows: 2, cols: 4 }, { k: 1 })).rejects.toThrow(ShapeError);
    await expect(topK([[1, 2], [3]], c, { k: 1 })).rejects.toThrow(ShapeError);
    const t3 = tf.zeros([2, 2, 2]);
    await expect(topK(t3 as unknown as tf.Tensor2D, c, { k: 1 })).rejects.toThrow(ShapeError);
    t3.dispose();
    await expect(topK(q, c, { k: 1, tileRows: 0 })).rejects.toThrow(ValueError);
    await expect(topK(q, c, { k: 1, metric: 'manhattan' as 'cosine' })).rejects.toThrow(ValueError);
  });

  it('returns an empty result for zero queries', async () => {
    const got = await topK({ data: new Float32Array(0), rows: 0, cols: 4 }, c, { k: 3 });
    expect(got.rows).toBe(0);
    expect(got.indices).toHaveLength(0);
  });

  it('rejects unknown kernels and kernels that cannot run on this backend', async () => {
    await expect(topK(q, c, { k: 1, kernel: 'nope' })).rejects.toThrow(/no top-k kernel named 'nope'/);
    await expect(topK(q, c, { k: 1, kernel: 'wgsl' })).rejects.toThrow(/cannot run on the 'cpu' backend/);
  });
});

describe('top-k kernel registry', () => {
  it('lists the built-in kernels and per-backend defaults', () => {
    const { kernels, defaults } = topKKernels();
    expect(kernels.map((k) => k.name).sort()).toEqual(['blocked', 'matmul', 'wgsl']);
    expect(defaults).toEqual({ webgpu: 'wgsl', wasm: 'matmul if d ≥ 16 and m ≥ 8, else blocked', cpu: 'blocked' });
  });

  it('registers a user kernel, forces it, and makes it a backend default', async () => {
    await ready({ backend: 'cpu', strict: true });
    let calls = 0;
    const counting: TopKKernel = {
      ...blockedKernel,
      name: 'counting-blocked',
      description: 'blocked kernel that counts its calls',
      async run(p) {
        calls++;
        return blockedKernel.run(p);
      },
    };
    registerTopKKernel(counting);
    const q = gaussian(2, 3, 9);
    const c = gaussian(20, 3, 10);
    const forced = await topK(q, c, { k: 4, kernel: 'counting-blocked' });
    expect(forced.kernel).toBe('counting-blocked');
    expect(calls).toBe(1);
    setDefaultTopKKernel('cpu', 'counting-blocked');
    try {
      const byDefault = await topK(q, c, { k: 4 });
      expect(byDefault.kernel).toBe('counting-blocked');
      expect(calls).toBe(2);
      expect(Array.from(byDefault.indices)).toEqual(Array.from((await topK(q, c, { k: 4, kernel: 'blocked' })).indices));
    } finally {
      setDefaultTopKKernel('cpu', 'blocked');
    }
    expect(() => setDefaultTopKKernel('cpu', 'missing')).toThrow(ValueError);
  });
});
