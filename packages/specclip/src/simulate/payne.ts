import { ShapeError, ValueError } from '@astro/core';
import { readNpy, toNumberArray, type NpyArray } from '@astro/core/io';
import { dataPath } from '@astro/core/data';

/**
 * The per-pixel Payne model of APOGEE H-band spectra (Ting et al. 2019), evaluated in float32
 * on the CPU: for pixel i, s = (labels − xMin)/(xMax − xMin) − 0.5, h = sigmoid(W0[i]·s + b0[i]),
 * flux[i] = w1[i]·h + b1[i]. Labels are [Teff K, log g dex, [Fe/H] dex, [α/Fe] dex, vmacro].
 */
export interface PayneWeights {
  /** W0 [pixels, hidden, labels] row-major. */
  w0: Float32Array;
  /** b0 [pixels, hidden]. */
  b0: Float32Array;
  /** w1 [pixels, hidden]. */
  w1: Float32Array;
  /** b1 [pixels]. */
  b1: Float32Array;
  /** Lower label bounds of the training grid [labels]. */
  xMin: Float64Array;
  /** Upper label bounds [labels]. */
  xMax: Float64Array;
  /** Vacuum wavelength of each pixel, Å [pixels]. */
  wavelengthAngstrom: Float64Array;
  pixels: number;
  hidden: number;
  labels: number;
}

function f32(a: NpyArray): Float32Array {
  return a.data instanceof Float32Array ? a.data : Float32Array.from(toNumberArray(a.data));
}
function f64(a: NpyArray): Float64Array {
  return a.data instanceof Float64Array ? a.data : Float64Array.from(toNumberArray(a.data));
}

/**
 * Load the Payne weights from `dir` (default `../shared/data/spectra/payne-apogee-nn`).
 * @throws {ShapeError} when the arrays' shapes disagree.
 */
export async function loadPayne(dir = dataPath('spectra', 'payne-apogee-nn')): Promise<PayneWeights> {
  const [w0, b0, w1, b1, xMin, xMax, wl] = await Promise.all(
    ['w_array_0', 'b_array_0', 'w_array_1', 'b_array_1', 'x_min', 'x_max', 'wavelength'].map((n) => readNpy(`${dir}/${n}.npy`)),
  );
  const [pixels, hidden, labels] = w0!.shape as [number, number, number];
  if (
    w0!.shape.length !== 3 ||
    b0!.data.length !== pixels * hidden ||
    w1!.data.length !== pixels * hidden ||
    b1!.data.length !== pixels ||
    xMin!.data.length !== labels ||
    xMax!.data.length !== labels ||
    wl!.data.length !== pixels
  ) {
    throw new ShapeError(`loadPayne: inconsistent array shapes in ${dir} (w_array_0 is [${w0!.shape.join(', ')}])`);
  }
  return {
    w0: f32(w0!),
    b0: f32(b0!),
    w1: f32(w1!),
    b1: f32(b1!),
    xMin: f64(xMin!),
    xMax: f64(xMax!),
    wavelengthAngstrom: f64(wl!),
    pixels,
    hidden,
    labels,
  };
}

/**
 * Evaluate the Payne at `labels` [n, 5] (row-major) → normalised flux [n, pixels].
 * @throws {ShapeError} for a label count that is not a multiple of 5.
 * @throws {ValueError} for non-finite labels or labels outside the model's training box.
 */
export function payneFlux(model: PayneWeights, labels: Float64Array | Float32Array): Float32Array {
  const L = model.labels;
  const H = model.hidden;
  if (labels.length % L !== 0) throw new ShapeError(`payneFlux: labels length ${labels.length} is not a multiple of ${L}`);
  const n = labels.length / L;
  const out = new Float32Array(n * model.pixels);
  const s = new Float64Array(L);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < L; j++) {
      const v = labels[r * L + j]!;
      const lo = model.xMin[j]!;
      const hi = model.xMax[j]!;
      if (!Number.isFinite(v)) throw new ValueError(`payneFlux: label ${j} of star ${r} is ${v}`);
      if (v < lo - 1e-9 || v > hi + 1e-9) {
        throw new ValueError(`payneFlux: label ${j} of star ${r} is ${v}, outside the trained range [${lo}, ${hi}]`);
      }
      s[j] = (v - lo) / (hi - lo) - 0.5;
    }
    const base = r * model.pixels;
    for (let i = 0; i < model.pixels; i++) {
      let f = model.b1[i]!;
      for (let h = 0; h < H; h++) {
        let a = model.b0[i * H + h]!;
        const w = (i * H + h) * L;
        for (let j = 0; j < L; j++) a += model.w0[w + j]! * s[j]!;
        f += model.w1[i * H + h]! / (1 + Math.exp(-a));
      }
      out[base + i] = f;
    }
  }
  return out;
}
