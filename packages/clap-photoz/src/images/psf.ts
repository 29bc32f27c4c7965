import { ValueError } from '@astro/core';

/** A point-spread function: circular Gaussian or Moffat, FWHM in pixels. */
export interface Psf {
  kind: 'gaussian' | 'moffat';
  /** Full width at half maximum (px). */
  fwhmPx: number;
  /** Moffat β (default 3; ignored for a Gaussian). */
  beta?: number;
}

/**
 * The PSF as a (2h+1)² kernel (row-major) summing to 1, each pixel the mean of a 5 × 5 sub-grid:
 * Gaussian exp(−r²/2σ²) with σ = FWHM/(2√(2 ln 2)), or Moffat [1 + (r/α)²]^{−β} with
 * α = FWHM/(2√(2^{1/β} − 1)) (Moffat 1969). h defaults to ⌈2·FWHM⌉.
 * @throws {ValueError} on FWHM ≤ 0 or β ≤ 1.
 */
export function psfKernel(psf: Psf, halfWidth?: number): { kernel: Float64Array; size: number } {
  if (!(psf.fwhmPx > 0)) throw new ValueError(`psfKernel: FWHM must be > 0 px, got ${psf.fwhmPx}`);
  const beta = psf.beta ?? 3;
  if (psf.kind === 'moffat' && !(beta > 1)) throw new ValueError(`psfKernel: Moffat β must be > 1, got ${beta}`);
  const h = halfWidth ?? Math.ceil(2 * psf.fwhmPx);
  const size = 2 * h + 1;
  const sigma = psf.fwhmPx / (2 * Math.sqrt(2 * Math.LN2));
  const alpha = psf.fwhmPx / (2 * Math.sqrt(2 ** (1 / beta) - 1));
  const f = (r2: number): number => (psf.kind === 'gaussian' ? Math.exp(-r2 / (2 * sigma * sigma)) : (1 + r2 / (alpha * alpha)) ** -beta);
  const k = new Float64Array(size * size);
  let tot = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let s = 0;
      for (let u = 0; u < 5; u++) for (let v = 0; v < 5; v++) s += f((i - h + (u - 2) / 5) ** 2 + (j - h + (v - 2) / 5) ** 2);
      k[i * size + j] = s;
      tot += s;
    }
  }
  for (let i = 0; i < k.length; i++) k[i]! /= tot;
  return { kernel: k, size };
}

/**
 * Convolve a (H + 2h) × (W + 2h) image with a (2h+1)² kernel, keeping the central H × W ('valid'
 * over the padded input), so flux inside the padded frame is conserved up to what spills outside.
 */
export function convolvePadded(img: Float64Array, paddedWidth: number, kernel: Float64Array, kSize: number): Float64Array {
  const h = (kSize - 1) / 2;
  const H = img.length / paddedWidth - 2 * h;
  const W = paddedWidth - 2 * h;
  const out = new Float64Array(H * W);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      let s = 0;
      for (let u = 0; u < kSize; u++) {
        const row = (i + u) * paddedWidth + j;
        const krow = (kSize - 1 - u) * kSize;
        for (let v = 0; v < kSize; v++) s += img[row + v]! * kernel[krow + kSize - 1 - v]!;
      }
      out[i * W + j] = s;
    }
  }
  return out;
}
