/**
 * Fused kernels of core's building blocks for the wasm backend: one pass over the tfjs heap
 * where tfjs would run a chain of small kernels (each allocating and re-reading its operands).
 * Registered by `ready()` for `wasm` only; the ops in `nn/fused.ts` fall back to compositions of
 * tfjs kernels on every other backend and when `useWasmKernels('tfjs')` asks for it.
 *
 * - `AstroLayerNorm`, `AstroLayerNormGrad`: layer norm over the last axis with its saved row
 *   mean and 1/σ, and the backward pass dx = σ⁻¹(g − mean(g) − x̂·mean(g·x̂)), g = dy·γ, with
 *   dγ = Σ dy·x̂ and dβ = Σ dy. Sums run in float64 (JavaScript numbers).
 *
 * Measured and dropped (docs/backends.md): scalar-JavaScript GELU, softmax-attention and AdamW
 * kernels lost to tfjs-wasm's SIMD element-wise kernels (e.g. GELU 85 vs 45 ms CPU on
 * 32×128×512); only layer norm's backward pass, which tfjs runs as ~15 kernels, gained.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
}
interface Args {
  inputs: Record<string, tf.TensorInfo | undefined>;
  backend: WasmBackendLike;
  attrs: Record<string, unknown>;
}
const size = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

// ---------------------------------------------------------------------------------------------
// Layer norm
/** y = (x − μ)/σ·γ + β per row of width d; writes μ and 1/σ per row. */
export function layerNormForward(
  x: Float32Array,
  gamma: Float32Array | undefined,
  beta: Float32Array | undefined,
  eps: number,
  d: number,
  y: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
): void {
  const rows = x.length / d;
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += x[o + j]!;
    const mu = s / d;
    let ss = 0;
    for (let j = 0; j < d; j++) {
      const c = x[o + j]! - mu;
      ss += c * c;
    }
    const rs = 1 / Math.sqrt(ss / d + eps);
    mean[r] = mu;
    rstd[r] = rs;
    if (gamma && beta) for (let j = 0; j < d; j++) y[o + j] = (x[o + j]! - mu) * rs * gamma[j]! + beta[j]!;
    else if (gamma) for (let j = 0; j < d; j++) y[o + j] = (x[o + j]! - mu) * rs * gamma[j]!;
    else for (let j = 0; j < d; j++) y[o + j] = (x[o + j]! - mu) * rs;
  }
}

/** dx, and the column sums dγ = Σ dy·x̂, dβ = Σ dy (when given). */
export function layerNormBackward(
  dy: Float32Array,
  x: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  gamma: Float32Array | undefined,
  d: number,
  dx: Float32Array,
  dgamma: Float32Array | undefined,
  dbeta: Float32Array | undefined,
): void {
  const rows = x.length / d;
  const dg = new Float64Array(d);
  const db = new Float64Array(d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    const mu = mean[r]!;
    const rs = rstd[r]!;
    let sg = 0;
    let sgx = 0;
    for (let j = 0; j < d; j++) {
      const xh = (x[o + j]! - mu) * rs;
      const g = dy[o + j]!;
      dg[j] = dg[j]! + g * xh;
      db[j] = db[j]! + g;
      const gg = gamma ? g * gamma[j]! : g;
      sg += gg;
      sgx += gg * xh;
    }
    sg /= d;
    sgx /= d;
    for (let j = 0; j < d; j++) {
      const xh = (x[o + j]! - mu) * rs;
      const gg = gamma ? dy[o + j]! * gamma[j]! : dy[o + j]!;
      dx[o + j] = rs * (gg - sg - xh * sgx);
    }
  }
  if (dgamma) for (let j = 0; j < d; j++) dgamma[j] = dg[j]!;
  if (dbeta) for (let j = 0; j < d; j++) dbeta[j] = db[j]!;
}

// ---------------------------------------------------------------------------------------------
// Registration on the wasm backend
function f32(backend: WasmBackendLike, t: tf.TensorInfo | undefined): Float32Array | undefined {
  return t ? (backend.typedArrayFromHeap(t) as Float32Array) : undefined;
}

const kernels: Record<string, (a: Args) => tf.TensorInfo | tf.TensorInfo[]> = {
  AstroLayerNorm: ({ inputs: { x, gamma, beta }, backend, attrs }) => {
    const d = x!.shape[x!.shape.length - 1]!;
    const rows = size(x!.shape) / d;
    const y = backend.makeOutput([...x!.shape], 'float32');
    const mean = backend.makeOutput([rows], 'float32');
    const rstd = backend.makeOutput([rows], 'float32');
    layerNormForward(
      f32(backend, x)!,
      f32(backend, gamma),
      f32(backend, beta),
      attrs['eps'] as number,
      d,
      f32(backend, y)!,
      f32(backend, mean)!,
      f32(backend, rstd)!,
    );
    return [y, mean, rstd];
  },
  AstroLayerNormGrad: ({ inputs: { dy, x, mean, rstd, gamma }, backend, attrs }) => {
    const d = x!.shape[x!.shape.length - 1]!;
    const dx = backend.makeOutput([...x!.shape], 'float32');
    const dgamma = backend.makeOutput([d], 'float32');
    const dbeta = backend.makeOutput([d], 'float32');
    layerNormBackward(
      f32(backend, dy)!,
      f32(backend, x)!,
      f32(backend, mean)!,
      f32(backend, rstd)!,
      attrs['affine'] ? f32(backend, gamma) : undefined,
      d,
      f32(backend, dx)!,
      f32(backend, dgamma)!,
      f32(backend, dbeta)!,
    );
    return [dx, dgamma, dbeta];
  },
};

let registered = false;
/** Register the fused kernels for the wasm backend (idempotent; attention only with SIMD). */
export function installFusedKernels(): void {
  if (registered) return;
  for (const [name, fn] of Object.entries(kernels)) {
    if (tf.getKernel(name, 'wasm')) continue;
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: fn as unknown as tf.KernelFunc });
  }
  registered = true;
}
