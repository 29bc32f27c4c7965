/**
 * A faster BatchMatMul for tfjs's wasm backend when there is a batch dimension.
 *
 * tfjs-backend-wasm 4.22 runs only unbatched matMuls through XNNPACK; batched ones (attention's
 * Q·Kᵀ and A·V over [batch·heads, T, d_head], and their gradients) go through a generic loop at
 * ≈1 GFLOP/s. This kernel reads the operands straight from the wasm heap, packs them into the
 * memory of a small WebAssembly-SIMD GEMM (`simd-gemm.ts`, ≈15 GFLOP/s on attention shapes),
 * and writes the product back; engines without SIMD get a 4×2 register-blocked JavaScript
 * kernel (≈2–3 GFLOP/s).
 * Unbatched products with more than 4 rows and non-float32 inputs still go to the original
 * kernel, so XNNPACK keeps the linear layers; unbatched row vectors (bias gradients 1ᵀ·dy) come
 * here too. Installed by `ready()` when it registers the wasm backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdGemm, type SimdGemm } from './simd-gemm.js';

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
/** Which kernel runs batched float32 products on the wasm backend. */
export type WasmBatchMatMulKernel = 'auto' | 'simd' | 'js' | 'tfjs';
let mode: WasmBatchMatMulKernel = 'auto';

/**
 * Choose the wasm backend's batched matMul kernel: `'auto'` (default: WebAssembly SIMD where
 * the engine has it, else JavaScript), `'simd'`, `'js'`, or `'tfjs'` (tfjs-wasm's own) — for
 * benchmarks that compare them in one run, or to rule this kernel out when debugging.
 */
export function useWasmBatchMatMul(kernel: WasmBatchMatMulKernel): void {
  mode = kernel;
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
    kernelFunc: ((args: BatchMatMulArgs) => (mode === 'tfjs' ? undefined : batchMatMulJs(args)) ?? fallback(args)) as unknown as tf.KernelFunc,
  });
  installed = true;
}

/** Unbatched products with at most this many rows go to the SIMD kernel. */
const SMALL_M = 4;

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** The batched product, or `undefined` when the original kernel should run (unbatched, non-float32, odd broadcast). */
export function batchMatMulJs({ inputs: { a, b }, backend, attrs: { transposeA, transposeB } }: BatchMatMulArgs): tf.TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const M = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  // Unbatched products stay on XNNPACK, except row vectors (a bias gradient 1ᵀ·dy): XNNPACK
  // repacks its "weights" operand on every call with a new tensor, ≈13 ms for 1×4096·4096×128.
  if (batchA === 1 && batchB === 1 && (M > SMALL_M || (mode !== 'simd' && !simdGemm()))) return undefined;
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
  const g = mode === 'js' ? undefined : simdGemm();
  if (mode === 'simd' && !g) throw new Error('useWasmBatchMatMul("simd"): this engine has no WebAssembly SIMD');
  if (g) simdBatches(g, A, B, C, batch, batchA, batchB, M, N, K, transposeA, transposeB);
  else jsBatches(A, B, C, batch, batchA, batchB, M, N, K, transposeA, transposeB);
  return out;
}

/**
 * Each product through the WebAssembly-SIMD GEMM: op(A) packed to [Mp×K] and op(B) to [K×Np]
 * (Mp, Np rounded up to the 4×8 block; padding rows and columns only reach the part of C that
 * is not copied out, so they need no clearing) in the kernel's own memory.
 */
function simdBatches(
  g: SimdGemm, A: Float32Array, B: Float32Array, C: Float32Array,
  batch: number, batchA: number, batchB: number, M: number, N: number, K: number, ta: boolean, tb: boolean,
): void {
  const Mp = Math.ceil(M / 4) * 4;
  const Np = Math.ceil(N / 8) * 8;
  const aBase = 0;
  const bBase = Mp * K;
  const cBase = bBase + K * Np;
  const bytes = (cBase + Mp * Np) * 4;
  if (g.memory.buffer.byteLength < bytes) g.memory.grow(Math.ceil((bytes - g.memory.buffer.byteLength) / 65536));
  const f = new Float32Array(g.memory.buffer);
  let packedB = -1;
  for (let t = 0; t < batch; t++) {
    const aOff = (batchA === 1 ? 0 : t) * M * K;
    if (!ta) f.set(A.subarray(aOff, aOff + M * K), aBase);
    else for (let k = 0; k < K; k++) for (let i = 0; i < M; i++) f[aBase + i * K + k] = A[aOff + k * M + i]!;
    const ib = batchB === 1 ? 0 : t;
    if (packedB !== ib) {
      const bOff = ib * N * K;
      if (tb) for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) f[bBase + k * Np + j] = B[bOff + j * K + k]!;
      else if (Np === N) f.set(B.subarray(bOff, bOff + K * N), bBase);
      else for (let k = 0; k < K; k++) f.set(B.subarray(bOff + k * N, bOff + (k + 1) * N), bBase + k * Np);
      packedB = ib;
    }
    g.gemm(aBase * 4, bBase * 4, cBase * 4, Mp, Np, K);
    const cOff = t * M * N;
    if (Np === N) C.set(f.subarray(cBase, cBase + M * N), cOff);
    else for (let i = 0; i < M; i++) C.set(f.subarray(cBase + i * Np, cBase + i * Np + N), cOff + i * N);
  }
}

/** Each product through the register-blocked JavaScript kernel (engines without WebAssembly SIMD). */
function jsBatches(
  A: Float32Array, B: Float32Array, C: Float32Array,
  batch: number, batchA: number, batchB: number, M: number, N: number, K: number, transposeA: boolean, transposeB: boolean,
): void {
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
