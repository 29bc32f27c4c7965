import { ValueError } from '@astro/core';
import { Rng } from '@astro/core';
import { drawMist, type MistLabels } from './mist.js';
import { payneFlux, type PayneWeights } from './payne.js';
import { degrade } from './lowres.js';
import { addNoise } from './noise.js';

/** Options of {@link simulatePairs}. */
export interface SimulatePairsOptions {
  /** Number of stars. */
  n: number;
  /** Seed of the label draws and the noise. */
  seed: number;
  /** S/N per pixel of the high-resolution view, drawn log-uniformly in this range (default [30, 300]). */
  snrHigh?: readonly [number, number];
  /** S/N per pixel of the low-resolution view, log-uniform (default [20, 200]). */
  snrLow?: readonly [number, number];
  /** Pixels of the low-resolution view (default 110, the length of a Gaia XP BP+RP coefficient vector). */
  lowPixels?: number;
  /** Gaussian LSF σ of the low-resolution view in high-resolution pixels (default 30). */
  lsfSigmaPixels?: number;
  /** Macroturbulence label passed to the Payne (default 6; the model's fifth label). */
  vmacro?: number;
  /** Use every `stride`-th Payne pixel for the high-resolution view (default 1: all 7214). */
  stride?: number;
}

/** Paired two-instrument spectra of the same stars. Arrays are row-major. */
export interface SpectrumPairs {
  /** Stars. */
  n: number;
  /** Labels [n, 3]: Teff K, log g dex, [Fe/H] dex (drawn from MIST; [α/Fe] = 0). */
  labels: Float32Array;
  /** High-resolution normalised flux [n, highPixels] with noise. */
  high: Float32Array;
  /** 1σ uncertainties of `high`. */
  highErr: Float32Array;
  /** Low-resolution flux [n, lowPixels] with noise. */
  low: Float32Array;
  /** 1σ uncertainties of `low`. */
  lowErr: Float32Array;
  /** Noise-free high-resolution flux (for cross-prediction error). */
  highClean: Float32Array;
  /** Noise-free low-resolution flux. */
  lowClean: Float32Array;
  highPixels: number;
  lowPixels: number;
  /** S/N of each star's high-resolution view [n]. */
  snrHigh: Float32Array;
  /** Wavelengths of the high-resolution pixels, Å. */
  highWavelengthAngstrom: Float64Array;
}

function logUniform(rng: Rng, [a, b]: readonly [number, number]): number {
  return Math.exp(Math.log(a) + rng.uniform() * (Math.log(b) - Math.log(a)));
}

/**
 * The embedded paired simulator: labels drawn from MIST isochrones inside the Payne's training box
 * (dwarfs: 4200–7000 K, log g 4.0–5.0), each star rendered as an APOGEE-like high-resolution
 * spectrum by the per-pixel Payne and as a low-resolution view (Gaussian LSF + rebinning), each
 * with independent Gaussian noise at a log-uniform S/N.
 * @throws {ValueError} for n < 1 or invalid S/N ranges.
 */
export function simulatePairs(payne: PayneWeights, mist: MistLabels, opts: SimulatePairsOptions): SpectrumPairs {
  const { n, seed } = opts;
  const snrH = opts.snrHigh ?? [30, 300];
  const snrL = opts.snrLow ?? [20, 200];
  for (const [name, r] of [
    ['snrHigh', snrH],
    ['snrLow', snrL],
  ] as const) {
    if (!(r[0] > 0 && r[1] >= r[0])) throw new ValueError(`simulatePairs: ${name} must be 0 < lo ≤ hi, got [${r.join(', ')}]`);
  }
  const stride = opts.stride ?? 1;
  if (!Number.isInteger(stride) || stride < 1) throw new ValueError(`simulatePairs: stride must be a positive integer, got ${stride}`);
  const lowPixels = opts.lowPixels ?? 110;
  const vmacro = opts.vmacro ?? 6;
  const box = {
    teffK: [payne.xMin[0]!, payne.xMax[0]!] as const,
    logg: [payne.xMin[1]!, payne.xMax[1]!] as const,
    feh: [payne.xMin[2]!, payne.xMax[2]!] as const,
  };
  const rows = drawMist(mist, n, box, seed);
  const L = payne.labels;
  const payneLabels = new Float64Array(n * L);
  const labels = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const v = [mist.teffK[r]!, mist.logg[r]!, mist.feh[r]!, 0, vmacro];
    for (let j = 0; j < L; j++) payneLabels[i * L + j] = v[j] ?? 0;
    labels.set([v[0]!, v[1]!, v[2]!], i * 3);
  }
  const full = payneFlux(payne, payneLabels);
  const P = payne.pixels;
  const lowClean = degrade(full, P, lowPixels, opts.lsfSigmaPixels ?? 30);
  const highPixels = Math.ceil(P / stride);
  const highClean = new Float32Array(n * highPixels);
  const wl = new Float64Array(highPixels);
  for (let k = 0; k < highPixels; k++) wl[k] = payne.wavelengthAngstrom[k * stride]!;
  for (let i = 0; i < n; i++) for (let k = 0; k < highPixels; k++) highClean[i * highPixels + k] = full[i * P + k * stride]!;
  const rng = new Rng(seed).fork('noise');
  const high = highClean.slice();
  const low = lowClean.slice();
  const highErr = new Float32Array(high.length);
  const lowErr = new Float32Array(low.length);
  const snrHigh = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sh = logUniform(rng, snrH);
    const sl = logUniform(rng, snrL);
    snrHigh[i] = sh;
    addNoise(high.subarray(i * highPixels, (i + 1) * highPixels), highErr.subarray(i * highPixels, (i + 1) * highPixels), sh, rng);
    addNoise(low.subarray(i * lowPixels, (i + 1) * lowPixels), lowErr.subarray(i * lowPixels, (i + 1) * lowPixels), sl, rng);
  }
  return { n, labels, high, highErr, low, lowErr, highClean, lowClean, highPixels, lowPixels, snrHigh, highWavelengthAngstrom: wl };
}
