import { describe, expect, it } from 'vitest';
import { ready, tf, useWasmBatchMatMul } from '../../src/index.js';

// core's batched BatchMatMul kernel for the wasm backend, checked against a float64 product
// computed here and against tfjs-wasm's own kernel, for every transpose combination,
// broadcast batches and sizes that are not multiples of the 4×2 register block.

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

/** float64 reference of op(a)[batch] · op(b)[batch] with stored shapes [ba, r, c]. */
function reference(
  a: Float32Array,
  ba: number,
  aRows: number,
  aCols: number,
  ta: boolean,
  b: Float32Array,
  bb: number,
  bRows: number,
  bCols: number,
  tb: boolean,
): Float64Array {
  const M = ta ? aCols : aRows;
  const K = ta ? aRows : aCols;
  const N = tb ? bRows : bCols;
  const batch = Math.max(ba, bb);
  const out = new Float64Array(batch * M * N);
  for (let t = 0; t < batch; t++) {
    const ao = (ba === 1 ? 0 : t) * aRows * aCols;
    const bo = (bb === 1 ? 0 : t) * bRows * bCols;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[ao + (ta ? k * aCols + i : i * aCols + k)]! * b[bo + (tb ? j * bCols + k : k * bCols + j)]!;
        out[t * M * N + i * N + j] = s;
      }
  }
  return out;
}

describe('wasm BatchMatMul kernel', () => {
  it('matches a float64 product for NN, NT, TN, TT, broadcast batches and odd sizes', async () => {
    await ready({ backend: 'wasm', strict: true });
    const cases: [number, number, number, number, number][] = [
      // [batchA, batchB, M, K, N]
      [6, 6, 7, 5, 9],
      [3, 3, 16, 32, 16],
      [1, 4, 5, 3, 6],
      [4, 1, 9, 4, 3],
      [2, 2, 1, 7, 1],
      [2, 2, 12, 0, 8], // K = 0: zeros
      [1, 1, 1, 40, 9], // unbatched row vector (a bias gradient)
      [1, 1, 3, 6, 10],
      [1, 1, 70, 300, 20], // several K and M blocks of the SIMD driver
      [2, 2, 9, 513, 17],
    ];
    let seed = 1;
    for (const [ba, bb, M, K, N] of cases) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const [aR, aC] = ta ? [K, M] : [M, K];
          const [bR, bC] = tb ? [N, K] : [K, N];
          const av = rand(ba * aR * aC, seed++);
          const bv = rand(bb * bR * bC, seed++);
          const want = reference(av, ba, aR, aC, ta, bv, bb, bR, bC, tb);
          const a = tf.tensor3d(av, [ba, aR, aC]);
          const b = tf.tensor3d(bv, [bb, bR, bC]);
          // the SIMD kernel, the JS kernel and tfjs-wasm's own all agree with float64
          for (const kernel of ['simd', 'js', 'tfjs'] as const) {
            useWasmBatchMatMul(kernel);
            const got = tf.matMul(a, b, ta, tb);
            expect(got.shape).toEqual([Math.max(ba, bb), M, N]);
            const g = await got.data();
            let err = 0;
            for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(g[i]! - want[i]!));
            expect(err, `${kernel}: batch ${ba}/${bb} M${M} K${K} N${N} ta ${ta} tb ${tb}`).toBeLessThanOrEqual(1e-6 * K);
            got.dispose();
          }
          useWasmBatchMatMul('auto');
          tf.dispose([a, b]);
        }
      }
    }
  });

  it('4-D attention shapes and their gradients agree with tfjs-wasm’s kernel', async () => {
    await ready({ backend: 'wasm', strict: true });
    const q = tf.tensor4d(rand(2 * 3 * 10 * 4, 7), [2, 3, 10, 4]);
    const k = tf.tensor4d(rand(2 * 3 * 10 * 4, 8), [2, 3, 10, 4]);
    const f = (qq: tf.Tensor, kk: tf.Tensor) => tf.sum(tf.mul(tf.matMul(tf.softmax(tf.matMul(qq, kk, false, true)), kk), qq));
    const grads = async () => {
      const [gq, gk] = tf.grads(f)([q, k]);
      return [await gq!.data(), await gk!.data(), await f(q, k).data()];
    };
    useWasmBatchMatMul('tfjs');
    const theirs = await grads();
    for (const kernel of ['simd', 'js'] as const) {
      useWasmBatchMatMul(kernel);
      const ours = await grads();
      for (let j = 0; j < 3; j++)
        for (let i = 0; i < ours[j]!.length; i++) expect(Math.abs(ours[j]![i]! - theirs[j]![i]!)).toBeLessThan(1e-5);
    }
    useWasmBatchMatMul('auto');
    tf.dispose([q, k]);
  });

  it('runs unbatched float32 products through the SIMD kernel, leaves int32 to tfjs', async () => {
    await ready({ backend: 'wasm', strict: true });
    const a = tf.tensor2d(rand(36, 3), [6, 6]);
    const ours = await tf.matMul(a, a).data();
    useWasmBatchMatMul('tfjs');
    const xnnpack = await tf.matMul(a, a).data(); // XNNPACK
    useWasmBatchMatMul('simd');
    expect(Array.from(ours)).toEqual(Array.from(await tf.matMul(a, a).data())); // bit for bit: the SIMD kernel ran
    for (let i = 0; i < 36; i++) expect(Math.abs(ours[i]! - xnnpack[i]!)).toBeLessThan(1e-6);
    useWasmBatchMatMul('auto');
    const i = tf.tensor3d([1, 2, 3, 4], [1, 2, 2], 'int32');
    expect(() => tf.matMul(i, i)).toThrow(/float32/);
    tf.dispose([a, i]);
  });
});
