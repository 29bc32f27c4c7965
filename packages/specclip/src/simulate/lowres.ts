import { ValueError } from '@astro/core';

/**
 * Degrade a spectrum to a low-resolution view: convolve with a Gaussian line-spread function of
 * standard deviation `sigmaPixels` (input pixels; truncated at 4σ, renormalised at the edges),
 * then average into `outPixels` equal-width bins. flux [n, inPixels] → [n, outPixels].
 * @throws {ValueError} when inPixels is not divisible into outPixels bins or sigma ≤ 0.
 */
export function degrade(flux: Float32Array, inPixels: number, outPixels: number, sigmaPixels: number): Float32Array {
  if (!(sigmaPixels > 0)) throw new ValueError(`degrade: sigmaPixels must be > 0, got ${sigmaPixels}`);
  if (!Number.isInteger(outPixels) || outPixels < 1 || outPixels > inPixels) {
    throw new ValueError(`degrade: outPixels must be an integer in [1, ${inPixels}], got ${outPixels}`);
  }
  if (flux.length % inPixels !== 0) throw new ValueError(`degrade: flux length ${flux.length} is not a multiple of ${inPixels}`);
  const n = flux.length / inPixels;
  const half = Math.ceil(4 * sigmaPixels);
  const kernel = new Float64Array(2 * half + 1);
  for (let k = -half; k <= half; k++) kernel[k + half] = Math.exp(-0.5 * (k / sigmaPixels) ** 2);
  // The binned smoothed spectrum is linear in the input: precompute, for each output bin, the
  // weights over the input pixels it touches, (1/|bin|) Σ_{j∈bin} K(i−j)/Σ_k K(k−j), then apply per star.
  const starts = new Int32Array(outPixels);
  const weights: Float64Array[] = [];
  for (let b = 0; b < outPixels; b++) {
    const a = Math.floor((b * inPixels) / outPixels);
    const e = Math.floor(((b + 1) * inPixels) / outPixels);
    const lo = Math.max(0, a - half);
    const hi = Math.min(inPixels - 1, e - 1 + half);
    const w = new Float64Array(hi - lo + 1);
    for (let j = a; j < e; j++) {
      let norm = 0;
      for (let k = Math.max(-half, -j); k <= Math.min(half, inPixels - 1 - j); k++) norm += kernel[k + half]!;
      for (let k = Math.max(-half, -j); k <= Math.min(half, inPixels - 1 - j); k++)
        w[j + k - lo] = w[j + k - lo]! + kernel[k + half]! / norm / (e - a);
    }
    starts[b] = lo;
    weights.push(w);
  }
  const out = new Float32Array(n * outPixels);
  for (let r = 0; r < n; r++) {
    const row = r * inPixels;
    for (let b = 0; b < outPixels; b++) {
      const w = weights[b]!;
      const lo = row + starts[b]!;
      let s = 0;
      for (let i = 0; i < w.length; i++) s += w[i]! * flux[lo + i]!;
      out[r * outPixels + b] = s;
    }
  }
  return out;
}
