import { ShapeError, ValueError, tf } from '@astro/core';
import { zscore } from '../preprocess/zscore.js';

/** Patch layout of {@link patchify}: windows of `window` pixels every `stride` pixels. */
export interface PatchLayout {
  pixels: number;
  window: number;
  stride: number;
  /** Number of patches: ceil((pixels − window)/stride) + 1 (the last window is padded with masked pixels). */
  tokens: number;
}

/** The layout SpecCLIP uses for a spectrum of `pixels` pixels: 20-pixel windows overlapping by 10. */
export function patchLayout(pixels: number, window = 20, stride = 10): PatchLayout {
  if (!Number.isInteger(window) || !Number.isInteger(stride) || stride < 1 || window < stride) {
    throw new ValueError(`patchLayout: need integer window ≥ stride ≥ 1, got window=${window}, stride=${stride}`);
  }
  if (!Number.isInteger(pixels) || pixels < window)
    throw new ShapeError(`patchLayout: a spectrum needs at least ${window} pixels, got ${pixels}`);
  return { pixels, window, stride, tokens: Math.ceil((pixels - window) / stride) + 1 };
}

/** Encoder inputs of a batch of spectra, on the current backend. The caller disposes them. */
export interface PatchedSpectra {
  /** Z-scored pixels in windows [B, tokens, window] (masked pixels are 0). */
  patches: tf.Tensor3D;
  /** 1 = observed pixel, 0 = masked or padding [B, tokens, window]. */
  observed: tf.Tensor3D;
  /** ln σ of each spectrum [B, 1] (the log-std token's input). */
  logStd: tf.Tensor2D;
}

/**
 * Z-score each spectrum (NaN pixels masked, never propagated) and cut it into overlapping windows.
 * flux [B, pixels] row-major.
 * @throws {ShapeError} when flux.length ≠ B·pixels for the layout's pixel count.
 * @throws {ValueError} for zero-variance spectra (from {@link zscore}).
 */
export function patchify(flux: ArrayLike<number>, layout: PatchLayout): PatchedSpectra {
  const { pixels, window, stride, tokens } = layout;
  if (flux.length % pixels !== 0 || flux.length === 0) {
    throw new ShapeError(`patchify: expected spectra of ${pixels} pixels, got ${flux.length} values (not a positive multiple)`);
  }
  const b = flux.length / pixels;
  const zs = zscore(flux, pixels);
  const p = new Float32Array(b * tokens * window);
  const o = new Float32Array(b * tokens * window);
  for (let r = 0; r < b; r++) {
    for (let t = 0; t < tokens; t++) {
      for (let w = 0; w < window; w++) {
        const i = t * stride + w;
        if (i >= pixels) continue;
        const dst = (r * tokens + t) * window + w;
        p[dst] = zs.z[r * pixels + i]!;
        o[dst] = zs.observed[r * pixels + i]!;
      }
    }
  }
  return {
    patches: tf.tensor3d(p, [b, tokens, window]),
    observed: tf.tensor3d(o, [b, tokens, window]),
    logStd: tf.tensor2d(zs.logStd, [b, 1]),
  };
}

/**
 * Chunk masking for masked modelling: mask contiguous runs of `chunk` tokens until at least
 * `ratio` of the tokens are masked. Returns [B, tokens] with 1 = masked. Seeded.
 */
export function chunkMask(batch: number, tokens: number, ratio: number, chunk: number, rng: { below(n: number): number }): Float32Array {
  if (!(ratio > 0 && ratio < 1)) throw new ValueError(`chunkMask: ratio must lie in (0, 1), got ${ratio}`);
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > tokens)
    throw new ValueError(`chunkMask: chunk must be an integer in [1, ${tokens}], got ${chunk}`);
  const m = new Float32Array(batch * tokens);
  const want = Math.max(1, Math.round(ratio * tokens));
  for (let r = 0; r < batch; r++) {
    let count = 0;
    while (count < want) {
      const s = rng.below(tokens - chunk + 1);
      for (let t = s; t < s + chunk && count < want; t++) {
        if (m[r * tokens + t] === 0) {
          m[r * tokens + t] = 1;
          count++;
        }
      }
    }
  }
  return m;
}
