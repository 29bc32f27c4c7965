import { describe, expect, it } from 'vitest';
import { ready, tf, useWasmBatchMatMul } from '../../src/index.js';
import { buildSimdGemm } from '../../src/backend/simd-gemm.js';

// core's WebAssembly-SIMD GEMM (src/backend/simd-gemm.ts) against tfjs-wasm's own kernel
// (XNNPACK for unbatched products) on the same inputs: B read in place (row-major, M ≤ 4) and
// packed, several K and M blocks of the driver, and every micro-kernel block shape the
// benchmarks compare.

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

/** max |x − y| / max |y| */
function relErr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let e = 0;
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    e = Math.max(e, Math.abs(x[i]! - y[i]!));
    m = Math.max(m, Math.abs(y[i]!));
  }
  return e / m;
}

describe('WebAssembly-SIMD GEMM', () => {
  it('agrees with tfjs-wasm’s kernel on row vectors, small-M and dense unbatched products', async () => {
    await ready({ backend: 'wasm', strict: true });
    // [M, K, N, ta, tb]
    const cases: [number, number, number, boolean, boolean][] = [
      [1, 4096, 128, false, false], // bias gradient 1ᵀ·dy: B read in place
      [3, 600, 16, false, false], // in place, several K blocks, M padded to 4
      [4, 257, 24, false, false],
      [4, 40, 12, false, false], // N not a multiple of 8: packed
      [67, 300, 40, false, false], // several M and K blocks
      [130, 96, 72, false, true],
      [96, 130, 40, true, false], // weight-gradient form dyᵀ·x
      [256, 256, 256, false, false],
    ];
    let seed = 11;
    for (const [M, K, N, ta, tb] of cases) {
      const a = tf.tensor2d(rand(M * K, seed++), ta ? [K, M] : [M, K]);
      const b = tf.tensor2d(rand(K * N, seed++), tb ? [N, K] : [K, N]);
      useWasmBatchMatMul('tfjs');
      const theirs = await tf.matMul(a, b, ta, tb).data();
      useWasmBatchMatMul('simd');
      const ours = await tf.matMul(a, b, ta, tb).data();
      useWasmBatchMatMul('auto');
      const auto = await tf.matMul(a, b, ta, tb).data();
      expect(relErr(ours, theirs), `simd M${M} K${K} N${N} ta ${ta} tb ${tb}`).toBeLessThan(1e-5);
      expect(relErr(auto, theirs), `auto M${M} K${K} N${N} ta ${ta} tb ${tb}`).toBeLessThan(1e-5);
      tf.dispose([a, b]);
    }
  });

  it('every micro-kernel block shape computes the same product', () => {
    const M = 24,
      K = 37,
      N = 48;
    const a = rand(M * K, 1);
    const b = rand(K * N, 2);
    const want = new Float64Array(M * N);
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[i * K + k]! * b[k * N + j]!;
        want[i * N + j] = s;
      }
    for (const shape of [
      { mr: 4, nv: 2, unroll: 1 },
      { mr: 4, nv: 2, unroll: 2 },
      { mr: 2, nv: 4, unroll: 1 },
      { mr: 3, nv: 3, unroll: 1 },
      { mr: 6, nv: 2, unroll: 1 },
    ]) {
      const g = buildSimdGemm(shape);
      const nr = 4 * shape.nv;
      const Kp = Math.ceil(K / shape.unroll) * shape.unroll;
      g.memory.grow(4);
      const f = new Float32Array(g.memory.buffer);
      f.fill(0);
      // A row-major with row stride Kp at 0, B row-major (in place, N a multiple of nr) after it
      for (let i = 0; i < M; i++) f.set(a.subarray(i * K, (i + 1) * K), i * Kp);
      const bBase = M * Kp;
      f.set(b, bBase);
      const cBase = bBase + Kp * N;
      g.gemmRows(0, Kp * 4, bBase * 4, nr * 4, cBase * 4, N * 4, M, N, Kp, 0, N * 4);
      expect(relErr(f.subarray(cBase, cBase + M * N), want), JSON.stringify(shape)).toBeLessThan(1e-5);
      // and accumulating a second time doubles it
      g.gemmRows(0, Kp * 4, bBase * 4, nr * 4, cBase * 4, N * 4, M, N, Kp, 1, N * 4);
      expect(
        relErr(
          f.subarray(cBase, cBase + M * N),
          want.map((x) => 2 * x),
        ),
        JSON.stringify(shape),
      ).toBeLessThan(1e-5);
    }
  });
});
