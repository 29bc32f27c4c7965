import { describe, expect, it } from 'vitest';
import { tf } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import { topK, type DenseMatrix, type TopKMetric } from '@astro/core/kernels';
import { expectMatchesReference } from './compare.js';
import { gaussian } from './data.js';
import { bruteForce } from './reference.js';

/** Kernels exercised on each backend. The blocked kernel does not use tfjs, so it runs once (on cpu). */
const KERNELS: Record<string, string[]> = { cpu: ['blocked', 'matmul'], wasm: ['matmul'], webgpu: ['wgsl', 'matmul'] };

// Sizes chosen so every code path is hit: m not a multiple of 4 (blocked remainder), several
// corpus tiles with a ragged last one, and (wgsl) several 2048-row chunks per tile.
const m = 19;
const n = 5003;
const d = 13;
const Q = gaussian(m, d, 1);
const C = gaussian(n, d, 2);
const refs: Record<TopKMetric, ReturnType<typeof bruteForce>> = {
  sqeuclidean: bruteForce(Q, C, 7, 'sqeuclidean'),
  cosine: bruteForce(Q, C, 7, 'cosine'),
};

/** Every row of a 100-row base set appears three times, at j, j + 100 and j + 200. */
function triplicated(): DenseMatrix {
  const base = gaussian(100, 6, 3);
  const data = new Float32Array(300 * 6);
  for (let r = 0; r < 3; r++) data.set(base.data, r * 600);
  return { data, rows: 300, cols: 6 };
}

await describeBackends('topK', ({ backend }) => {
  for (const kernel of KERNELS[backend] ?? []) {
    describe(`kernel ${kernel}`, () => {
      for (const metric of ['sqeuclidean', 'cosine'] as const) {
        it(`${metric}: equals the float64 brute force across ragged tiles`, async () => {
          const got = await topK(Q, C, { k: 7, metric, kernel, tileRows: 2300 });
          expect(got.kernel).toBe(kernel);
          expect(got.rows).toBe(m);
          expectMatchesReference(got, refs[metric]);
        });
      }

      it('breaks exact ties by the lower corpus index', async () => {
        const c = triplicated();
        const q = { data: c.data.slice(5 * 6, 6 * 6), rows: 1, cols: 6 };
        for (const metric of ['sqeuclidean', 'cosine'] as const) {
          const got = await topK(q, c, { k: 7, metric, kernel, tileRows: 128 });
          const ref = bruteForce(q, c, 7, metric);
          expect(Array.from(got.indices.slice(0, 3))).toEqual([5, 105, 205]);
          expect(Array.from(got.indices)).toEqual(Array.from(ref.indices));
          const j = ref.indices[3]! % 100;
          expect(Array.from(got.indices.slice(3, 6))).toEqual([j, j + 100, j + 200]);
        }
      });

      it('k = n returns the whole corpus sorted; tile size does not change the answer', async () => {
        const q = gaussian(5, 4, 4);
        const c = gaussian(12, 4, 5);
        const ref = bruteForce(q, c, 12, 'sqeuclidean');
        for (const tileRows of [1, 5, 12]) {
          expectMatchesReference(await topK(q, c, { k: 12, kernel, tileRows }), ref);
        }
      });
    });
  }

  if (backend === 'webgpu') {
    // A large k (K = 48 → workgroup of 32 invocations) was checked against the brute force too,
    // but SwiftShader needs ~50 s to compile that shader, so it is not part of the suite.
    it('wgsl: k beyond the compiled maximum is a ValueError that names the alternatives', async () => {
      const c = gaussian(300, 2, 23);
      await expect(topK(c, c, { k: 253, kernel: 'wgsl' })).rejects.toThrow(/k ≤ 252.*'matmul' or 'blocked'/);
    });
  }

  it('the default kernel for this backend matches the reference', async () => {
    const got = await topK(Q, C, { k: 7 });
    // d = 13 < 16: wasm prefers the blocked loops for short vectors.
    expect(got.kernel).toBe({ cpu: 'blocked', wasm: 'blocked', webgpu: 'wgsl' }[backend]);
    expectMatchesReference(got, refs.sqeuclidean);
    if (backend === 'wasm') {
      const q = gaussian(8, 16, 11);
      const c = gaussian(300, 16, 12);
      const wide = await topK(q, c, { k: 3 });
      expect(wide.kernel).toBe('matmul');
      expectMatchesReference(wide, bruteForce(q, c, 3, 'sqeuclidean'));
    }
  });

  it('accepts tensors and arrays of rows, and leaks no tensors', async () => {
    const qt = tf.tensor2d(Q.data, [m, d]);
    const before = tf.memory().numTensors;
    const rows = Array.from({ length: n }, (_, j) => C.data.subarray(j * d, (j + 1) * d));
    const got = await topK(qt, rows, { k: 7, kernel: KERNELS[backend]![0] });
    expect(tf.memory().numTensors).toBe(before);
    qt.dispose();
    expectMatchesReference(got, refs.sqeuclidean);
  });
});

describe('topK on a large corpus (memory bounded by tiles)', () => {
  it('2·10⁵ × 64 corpus, blocked and matmul on wasm, equal to the brute force', async () => {
    const { ready } = await import('@astro/core');
    await ready({ backend: 'wasm', strict: true });
    const q = gaussian(3, 64, 6);
    const c = gaussian(200_000, 64, 7);
    const ref = bruteForce(q, c, 5, 'sqeuclidean');
    for (const kernel of ['blocked', 'matmul']) {
      expectMatchesReference(await topK(q, c, { k: 5, kernel }), ref);
    }
  });
});
