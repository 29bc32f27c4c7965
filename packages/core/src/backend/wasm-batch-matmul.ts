/**
 * A faster BatchMatMul for tfjs's wasm backend when there is a batch dimension.
 *
 * tfjs-backend-wasm 4.22 runs only unbatched matMuls through XNNPACK; batched ones (attention's
 * Q·Kᵀ and A·V over [batch·heads, T, d_head], and their gradients) go through a generic loop at
 * ≈1 GFLOP/s. This kernel reads the operands straight from the wasm heap, packs each operand
 * so the contraction index is contiguous, and runs a 4×2 register-blocked dot-product kernel in
 * JavaScript (≈2.5–3× faster on the attention shapes measured in `bench/core.bench.ts`).
 * Unbatched products and non-float32 inputs still go to the original kernel, so XNNPACK keeps
 * the linear layers. Installed by `ready()` when it registers the wasm backend.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
}

interface BatchMatMulArgs {
  inputs: { a: tf.TensorInfo; b: tf.TensorInfo };
  backend: WasmBackendLike;
  attrs: { transposeA: boolean; transposeB: boolean };
}

let installed = false;
let enabled = true;

/**
 * Turn the JavaScript batched kernel on or off (default on) — for benchmarks that compare it
 * with tfjs's own kernel in the same run, or to rule it out when debugging.
 */
export function useWasmBatchMatMul(on: boolean): void {
  enabled = on;
}

/** Replace the wasm backend's BatchMatMul by {@link batchMatMulJs} for batched products (idempotent). */
export function installWasmBatchMatMul(): void {
  if (installed) return;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  if (!original) return;
  const fallback = original.kernelFunc as unknown as (args: BatchMatMulArgs) => tf.TensorInfo;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: ((args: BatchMatMulArgs) => (enabled ? batchMatMulJs(args) : undefined) ?? fallback(args)) as unknown as tf.KernelFunc,
  });
  installed = true;
}

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** The batched product, or `undefined` when the original kernel should run (unbatched, non-float32, odd broadcast). */
export function batchMatMulJs({ inputs: { a, b }, backend, attrs: { transposeA, transposeB } }: BatchMatMulArgs): tf.TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  if (batchA === 1 && batchB === 1) return undefined; // XNNPACK's unbatched path
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const M = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const K = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const Kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const N = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (K !== Kb) return undefined; // the original kernel throws tfjs's own message
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  // makeOutput may grow the wasm memory, which detaches earlier heap views: allocate first.
  const out = backend.makeOutput([...outer, M, N], 'float32');
  const A = backend.typedArrayFromHeap(a) as Float32Array;
  const B = backend.typedArrayFromHeap(b) as Float32Array;
  const C = backend.typedArrayFromHeap(out) as Float32Array;
  const packA = transposeA ? new Float32Array(M * K) : undefined;
  const packB = transposeB ? undefined : new Float32Array(N * K);
  let packedB = -1;
  for (let t = 0; t < batch; t++) {
    const ia = batchA === 1 ? 0 : t;
    const ib = batchB === 1 ? 0 : t;
    let aRows: Float32Array = A;
    let aOff = ia * M * K;
    if (packA) {
      transposeInto(A, aOff, K, M, packA); // stored K×M → M×K
      aRows = packA;
      aOff = 0;
    }
    let bRows: Float32Array = B;
    let bOff = ib * N * K;
    if (packB) {
      if (packedB !== ib) {
        transposeInto(B, bOff, K, N, packB); // stored K×N → N×K
        packedB = ib;
      }
      bRows = packB;
      bOff = 0;
    }
    gemmNT(aRows, aOff, bRows, bOff, C, t * M * N, M, N, K);
  }
  return out;
}

/** dst (cols×rows) = transpose of the rows×cols block of src starting at off. */
function transposeInto(src: Float32Array, off: number, rows: number, cols: number, dst: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const s = off + r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[s + c]!;
  }
}

/**
 * C[M×N] = A[M×K] · B[N×K]ᵀ, rows contiguous along K, in 4×2 register blocks (8 accumulators
 * and 6 operands fit x64's 16 vector registers; a 4×4 block spills and ran 1.8× slower).
 */
function gemmNT(A: Float32Array, ao: number, B: Float32Array, bo: number, C: Float32Array, co: number, M: number, N: number, K: number): void {
  const M4 = M - (M % 4);
  const N2 = N - (N % 2);
  for (let i = 0; i < M4; i += 4) {
    const a0 = ao + i * K;
    const a1 = a0 + K;
    const a2 = a1 + K;
    const a3 = a2 + K;
    const c0 = co + i * N;
    for (let j = 0; j < N2; j += 2) {
      const b0 = bo + j * K;
      const b1 = b0 + K;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = B[b0 + k]!;
        const x1 = B[b1 + k]!;
        const y0 = A[a0 + k]!;
        const y1 = A[a1 + k]!;
        const y2 = A[a2 + k]!;
        const y3 = A[a3 + k]!;
        s00 += y0 * x0; s01 += y0 * x1;
        s10 += y1 * x0; s11 += y1 * x1;
        s20 += y2 * x0; s21 += y2 * x1;
        s30 += y3 * x0; s31 += y3 * x1;
      }
      const c = c0 + j;
      C[c] = s00; C[c + 1] = s01;
      C[c + N] = s10; C[c + N + 1] = s11;
      C[c + 2 * N] = s20; C[c + 2 * N + 1] = s21;
      C[c + 3 * N] = s30; C[c + 3 * N + 1] = s31;
    }
    if (N2 < N) for (let r = 0; r < 4; r++) C[c0 + r * N + N2] = dot(A, a0 + r * K, B, bo + N2 * K, K);
  }
  for (let i = M4; i < M; i++) for (let j = 0; j < N; j++) C[co + i * N + j] = dot(A, ao + i * K, B, bo + j * K, K);
}

function dot(A: Float32Array, ao: number, B: Float32Array, bo: number, K: number): number {
  let s = 0;
  for (let k = 0; k < K; k++) s += A[ao + k]! * B[bo + k]!;
  return s;
}
