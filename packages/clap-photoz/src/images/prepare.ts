import { ShapeError, ValueError } from '@astro/core';
import { median } from '../metrics/quantile.js';

/** Images only: n × size × size × bands (NHWC, row-major), any flux unit. */
export interface CutoutImages {
  n: number;
  size: number;
  bands: number;
  images: Float32Array;
}

/**
 * Check a cutout set's shape and values.
 * @throws {ShapeError} if `images` is not n·size²·bands long; {@link ValueError} on NaN/Inf pixels (naming the galaxy).
 */
export function checkCutouts(c: CutoutImages, where: string): void {
  if (!(Number.isInteger(c.n) && c.n > 0 && Number.isInteger(c.size) && c.size > 0 && Number.isInteger(c.bands) && c.bands > 0)) {
    throw new ShapeError(`${where}: n, size and bands must be positive integers, got ${c.n}, ${c.size}, ${c.bands}`);
  }
  if (c.images.length !== c.n * c.size * c.size * c.bands) {
    throw new ShapeError(`${where}: images have length ${c.images.length}, expected n·size²·bands = ${c.n * c.size * c.size * c.bands}`);
  }
  for (let i = 0; i < c.images.length; i++) {
    if (!Number.isFinite(c.images[i]!))
      throw new ValueError(`${where}: pixel ${i} of galaxy ${Math.floor(i / (c.size * c.size * c.bands))} is ${c.images[i]}`);
  }
}

/**
 * Per-band softening s_b of the asinh stretch: the sky noise estimated as 1.4826 × the median
 * absolute deviation of each band's pixels in the outer ring (1/8 of the side) of every cutout,
 * where galaxy light is faint. Units of the images.
 */
export function cutoutSoftening(c: CutoutImages): number[] {
  const { n, size, bands, images } = c;
  const ring = Math.max(1, Math.floor(size / 8));
  const out: number[] = [];
  for (let b = 0; b < bands; b++) {
    const v: number[] = [];
    for (let g = 0; g < n; g++) {
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          if (i >= ring && i < size - ring && j >= ring && j < size - ring) continue;
          v.push(images[((g * size + i) * size + j) * bands + b]!);
        }
      }
    }
    const m = median(v);
    const mad = median(v.map((x) => Math.abs(x - m)));
    out.push(Math.max(1.4826 * mad, 1e-12));
  }
  return out;
}

/** The network's input: asinh(x / s_b) per pixel and band (Lupton et al. 1999 stretch), Float32 NHWC. */
export function stretchCutouts(c: CutoutImages, softening: number[]): Float32Array {
  if (softening.length !== c.bands) throw new ShapeError(`stretchCutouts: ${softening.length} softening values for ${c.bands} bands`);
  const out = new Float32Array(c.images.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.asinh(c.images[i]! / softening[i % c.bands]!);
  return out;
}

/**
 * Write element t ∈ 0…7 of the dihedral group D4 applied to one size × size × bands image
 * (bit 0: flip left–right; bits 1–2: number of 90° rotations) into `dst` at `dstOffset` —
 * the CLAP image augmentation (flips and 90° rotations keep the galaxy's redshift).
 */
export function dihedral(
  src: Float32Array,
  srcOffset: number,
  size: number,
  bands: number,
  t: number,
  dst: Float32Array,
  dstOffset: number,
): void {
  const flip = t & 1;
  const rot = (t >> 1) & 3;
  const last = size - 1;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let si = i;
      let sj = flip ? last - j : j;
      for (let r = 0; r < rot; r++) [si, sj] = [sj, last - si];
      const s = srcOffset + (si * size + sj) * bands;
      const d = dstOffset + (i * size + j) * bands;
      for (let b = 0; b < bands; b++) dst[d + b] = src[s + b]!;
    }
  }
}
