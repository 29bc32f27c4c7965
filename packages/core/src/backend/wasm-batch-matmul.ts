/**
 * A faster BatchMatMul for tfjs's wasm backend.
 *
 * tfjs-backend-wasm 4.22 runs only unbatched matMuls through XNNPACK; batched ones (attention's
 * Q·Kᵀ and A·V over [batch·heads, T, d_head], and their gradients) go through a generic loop at
 * ≈1 GFLOP/s. This kernel reads the operands straight from the wasm heap, packs them into the
 * memory of a small WebAssembly-SIMD GEMM (`simd-gemm.ts`, ≈15 GFLOP/s on attention shapes),
 * and writes the product back; engines without SIMD get a 4×2 register-blocked JavaScript
 * kernel (≈2–3 GFLOP/s).
 * With SIMD, unbatched float32 products come here too (XNNPACK repacks a new B on every call
 * and runs transposed products through the generic loop); without it they stay on XNNPACK.
 * Non-float32 inputs go to the original kernel. Installed by `ready()` when it registers the
 * wasm backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { simdGemm, UNROLL, type SimdGemm } from './simd-gemm.js';

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
    kernelFunc: ((args: BatchMatMulArgs) =>
      (mode === 'tfjs' ? undefined : batchMatMulJs(args)) ?? fallback(args)) as unknown as tf.KernelFunc,
  });
  installed = true;
}

/**
 * Whether the current backend's matMul runs transposed-A products (dyᵀ·x) without a separate
 * transpose: wasm with core's SIMD kernel.
 */
export function wasmMatMulTakesTransposedA(): boolean {
  return installed && (mode === 'auto' || mode === 'simd') && tf.getBackend() === 'wasm' && simdGemm() !== undefined;
}

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** The batched product, or `undefined` when the original kernel should run (unbatched, non-float32, odd broadcast). */
export function batchMatMulJs({
  inputs: { a, b },
  backend,
  attrs: { transposeA, transposeB },
}: BatchMatMulArgs): tf.TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const batchA = size(a.shape.slice(0, -2));
  const batchB = size(b.shape.slice(0, -2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const M = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  // Unbatched products run here too where SIMD is available: in a training step each product
  // meets a new B (an activation, a gradient, a re-assigned weight), which XNNPACK repacks on
  // every call, and transposed products, which tfjs-wasm runs through its generic loop. Measured
  // with a fresh B per call (docs/backends.md): 1024³ 15.0 vs 11.4 GFLOP/s CPU time, 4096×128·
  // 128×512 15.7 vs 13.8, 128×4096·4096×128 15.3 vs 7.9, 4096×128·(512×128)ᵀ 14.8 vs 1.1.
  if (batchA === 1 && batchB === 1 && !simdGemm()) return undefined;
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

/** K-block and M-block of the SIMD driver (B panel of KC×8 floats stays in L1, A block of MC×KC in L2). */
const KC = 256;
const MC = 64;

/** Float offset of the kernel memory's free space and a view of it, grown to `floats`. */
function kernelMemory(g: SimdGemm, floats: number): Float32Array {
  const bytes = floats * 4;
  if (g.memory.buffer.byteLength < bytes) g.memory.grow(Math.ceil((bytes - g.memory.buffer.byteLength) / 65536));
  return new Float32Array(g.memory.buffer);
}

/**
 * Pack op(B) (K×N; stored K×N, or N×K when transposed) from `src` at `off` into 8-column panels
 * of Kp rows at float offset `dst` of `f`, zero-padding rows K..Kp and columns N..Np.
 */
export function packB(src: Float32Array, off: number, K: number, N: number, tb: boolean, f: Float32Array, dst: number, Kp: number): void {
  const Np = Math.ceil(N / 8) * 8;
  f.fill(0, dst, dst + Kp * Np);
  if (tb) {
    for (let j = 0; j < N; j++) {
      const base = dst + (j >> 3) * Kp * 8 + (j & 7);
      const s = off + j * K;
      for (let k = 0; k < K; k++) f[base + 8 * k] = src[s + k]!;
    }
  } else {
    const N8 = N - (N % 8);
    for (let k = 0; k < K; k++) {
      const s = off + k * N;
      let q = dst + 8 * k;
      for (let j = 0; j < N8; j += 8, q += Kp * 8) {
        const t = s + j;
        f[q] = src[t]!;
        f[q + 1] = src[t + 1]!;
        f[q + 2] = src[t + 2]!;
        f[q + 3] = src[t + 3]!;
        f[q + 4] = src[t + 4]!;
        f[q + 5] = src[t + 5]!;
        f[q + 6] = src[t + 6]!;
        f[q + 7] = src[t + 7]!;
      }
      for (let j = N8; j < N; j++) f[q + j - N8] = src[s + j]!;
    }
  }
}

/**
 * Place op(A) (M×K; stored M×K, or K×M when transposed) at float offset `dst` of `f`: row-major
 * with row stride Kp when not transposed (for `gemmRows`), else in 4-row panels of Kp steps (for
 * `gemmPacked`); padding is zeroed. Returns whether the packed layout was used.
 */
export function placeA(
  src: Float32Array,
  off: number,
  M: number,
  K: number,
  ta: boolean,
  f: Float32Array,
  dst: number,
  Kp: number,
): boolean {
  const Mp = Math.ceil(M / 4) * 4;
  if (!ta) {
    if (Kp === K) f.set(src.subarray(off, off + M * K), dst);
    else
      for (let i = 0; i < M; i++) {
        f.set(src.subarray(off + i * K, off + (i + 1) * K), dst + i * Kp);
        f.fill(0, dst + i * Kp + K, dst + (i + 1) * Kp);
      }
    if (Mp > M) f.fill(0, dst + M * Kp, dst + Mp * Kp);
    return false;
  }
  const M4 = M - (M % 4);
  for (let k = 0; k < K; k++) {
    const s = off + k * M;
    let q = dst + 4 * k;
    for (let i = 0; i < M4; i += 4, q += 4 * Kp) {
      f[q] = src[s + i]!;
      f[q + 1] = src[s + i + 1]!;
      f[q + 2] = src[s + i + 2]!;
      f[q + 3] = src[s + i + 3]!;
    }
    if (M4 < M) for (let r = 0; r < 4; r++) f[q + r] = M4 + r < M ? src[s + M4 + r]! : 0;
  }
  if (Kp > K) for (let p = 0; p < Mp / 4; p++) f.fill(0, dst + p * 4 * Kp + 4 * K, dst + (p + 1) * 4 * Kp);
  return true;
}

/**
 * C (M×N at `cOff`) = op(A)·op(B) (+ bias[N] when given) through the SIMD kernel, blocked by
 * KC along K and MC along M. `f` must be the kernel memory with A placed at `aBase` (packed or
 * not), B at `bBase` (packed, or row-major K×N when `bRows`, N a multiple of 8) and room for
 * Mp×Np floats at `cBase`.
 */
export function runBlocked(
  g: SimdGemm,
  f: Float32Array,
  aBase: number,
  aPacked: boolean,
  bBase: number,
  cBase: number,
  M: number,
  N: number,
  Kp: number,
  C: Float32Array,
  cOff: number,
  bias?: Float32Array,
  biasOff = 0,
  bRows = false,
): void {
  const Mp = Math.ceil(M / 4) * 4;
  const Np = Math.ceil(N / 8) * 8;
  if (bias) for (let i = 0; i < Mp; i++) f.set(bias.subarray(biasOff, biasOff + N), cBase + i * Np);
  else if (Kp === 0) f.fill(0, cBase, cBase + Mp * Np);
  for (let pc = 0; pc < Kp; pc += KC) {
    const kc = Math.min(KC, Kp - pc);
    const acc = pc > 0 || bias ? 1 : 0;
    for (let ic = 0; ic < Mp; ic += MC) {
      const mc = Math.min(MC, Mp - ic);
      const c = (cBase + ic * Np) * 4;
      const b = (bBase + pc * (bRows ? Np : 8)) * 4;
      const bstride = bRows ? 32 : Kp * 32;
      const ldb = bRows ? Np * 4 : 32;
      if (aPacked) g.gemmPacked((aBase + ic * Kp + pc * 4) * 4, Kp * 16, b, bstride, c, Np * 4, mc, Np, kc, acc, ldb);
      else g.gemmRows((aBase + ic * Kp + pc) * 4, Kp * 4, b, bstride, c, Np * 4, mc, Np, kc, acc, ldb);
    }
  }
  const view = f;
  if (Np === N) C.set(view.subarray(cBase, cBase + M * N), cOff);
  else for (let i = 0; i < M; i++) C.set(view.subarray(cBase + i * Np, cBase + i * Np + N), cOff + i * N);
}

/**
 * Whether B (stored K×N, not transposed, N a multiple of 8) is read in place rather than packed:
 * for products of at most ROWS_B_MAX_M rows, B is read about once, and packing it costs more than
 * the strided reads (CPU time, fresh B per call: 1×4096·4096×128 0.74 vs 2.11 ms packed, 16×4096·
 * 4096×128 1.52 vs 2.52 ms; a bias gradient 1ᵀ·dy is the first).
 */
function useRowMajorB(M: number, N: number, tb: boolean): boolean {
  return !tb && N % 8 === 0 && M <= ROWS_B_MAX_M;
}
const ROWS_B_MAX_M = 16;

/** Floats of kernel memory one product needs: [A | B | C]. */
function layout(M: number, N: number, K: number): { Kp: number; aBase: number; bBase: number; cBase: number; total: number } {
  const Kp = Math.ceil(K / UNROLL) * UNROLL;
  const Mp = Math.ceil(M / 4) * 4;
  const Np = Math.ceil(N / 8) * 8;
  const aBase = 0;
  const bBase = Mp * Kp;
  const cBase = bBase + Kp * Np;
  return { Kp, aBase, bBase, cBase, total: cBase + Mp * Np };
}

/** Each product of a batch through the blocked WebAssembly-SIMD GEMM. */
function simdBatches(
  g: SimdGemm,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  batch: number,
  batchA: number,
  batchB: number,
  M: number,
  N: number,
  K: number,
  ta: boolean,
  tb: boolean,
): void {
  const L = layout(M, N, K);
  const f = kernelMemory(g, L.total);
  const bRows = useRowMajorB(M, N, tb);
  let packedB = -1;
  for (let t = 0; t < batch; t++) {
    const aPacked = placeA(A, (batchA === 1 ? 0 : t) * M * K, M, K, ta, f, L.aBase, L.Kp);
    const ib = batchB === 1 ? 0 : t;
    if (packedB !== ib) {
      if (bRows) f.set(B.subarray(ib * N * K, (ib + 1) * N * K), L.bBase);
      else packB(B, ib * N * K, K, N, tb, f, L.bBase, L.Kp);
      packedB = ib;
    }
    runBlocked(g, f, L.aBase, aPacked, L.bBase, L.cBase, M, N, L.Kp, C, t * M * N, undefined, 0, bRows);
  }
}

/**
 * C[M×N] = op(A)·op(B) + bias on Float32Arrays (e.g. views of the tfjs heap) through the SIMD
 * kernel; false when the engine has no WebAssembly SIMD.
 */
export function simdMatMul(
  A: Float32Array,
  aOff: number,
  B: Float32Array,
  bOff: number,
  C: Float32Array,
  cOff: number,
  M: number,
  N: number,
  K: number,
  ta: boolean,
  tb: boolean,
  bias?: Float32Array,
  biasOff = 0,
): boolean {
  const g = simdGemm();
  if (!g) return false;
  const L = layout(M, N, K);
  const f = kernelMemory(g, L.total);
  const aPacked = placeA(A, aOff, M, K, ta, f, L.aBase, L.Kp);
  const bRows = useRowMajorB(M, N, tb);
  if (bRows) f.set(B.subarray(bOff, bOff + K * N), L.bBase);
  else packB(B, bOff, K, N, tb, f, L.bBase, L.Kp);
  runBlocked(g, f, L.aBase, aPacked, L.bBase, L.cBase, M, N, L.Kp, C, cOff, bias, biasOff, bRows);
  return true;
}

/** Each product through the register-blocked JavaScript kernel (engines without WebAssembly SIMD). */
function jsBatches(
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  batch: number,
  batchA: number,
  batchB: number,
  M: number,
  N: number,
  K: number,
  transposeA: boolean,
  transposeB: boolean,
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
function gemmNT(
  A: Float32Array,
  ao: number,
  B: Float32Array,
  bo: number,
  C: Float32Array,
  co: number,
  M: number,
  N: number,
  K: number,
): void {
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
      let s00 = 0,
        s01 = 0,
        s10 = 0,
        s11 = 0,
        s20 = 0,
        s21 = 0,
        s30 = 0,
        s31 = 0;
      for (let k = 0; k < K; k++) {
        const x0 = B[b0 + k]!;
        const x1 = B[b1 + k]!;
        const y0 = A[a0 + k]!;
        const y1 = A[a1 + k]!;
        const y2 = A[a2 + k]!;
        const y3 = A[a3 + k]!;
        s00 += y0 * x0;
        s01 += y0 * x1;
        s10 += y1 * x0;
        s11 += y1 * x1;
        s20 += y2 * x0;
        s21 += y2 * x1;
        s30 += y3 * x0;
        s31 += y3 * x1;
      }
      const c = c0 + j;
      C[c] = s00;
      C[c + 1] = s01;
      C[c + N] = s10;
      C[c + N + 1] = s11;
      C[c + 2 * N] = s20;
      C[c + 2 * N + 1] = s21;
      C[c + 3 * N] = s30;
      C[c + 3 * N + 1] = s31;
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
