import { ValueError } from '@astro/core';

/** Options of {@link wavelengthEncoding}. */
export interface WavelengthEncodingOptions {
  /** Number of features E (even): E/2 periods, each with a sine and a quarter-phase-shifted sine. */
  dim: number;
  /** Shortest period, Å (resolve the narrowest line features; e.g. the pixel spacing). */
  minPeriodAngstrom: number;
  /** Longest period, Å (e.g. twice the span of the grid). */
  maxPeriodAngstrom: number;
}

/**
 * Sinusoidal wavelength encoding of TransformerPayne (Różański et al. 2024, §2): for E/2 periods
 * P_j log-spaced between `minPeriodAngstrom` and `maxPeriodAngstrom`, the features
 * sin(2πλ/P_j) and sin(2πλ/P_j + π/2). The phase 2πλ/P is computed in float64 and reduced
 * modulo 2π before the cast to float32: at λ ≈ 5000 Å and P ≈ 0.02 Å the phase is ~10⁶ rad,
 * which float32 would resolve only to ~0.06 rad. Returns [n, E] row-major.
 */
export function wavelengthEncoding(
  wavelengthAngstrom: ArrayLike<number>,
  opts: WavelengthEncodingOptions,
  out?: Float32Array,
  outOffset = 0,
): Float32Array {
  const { dim, minPeriodAngstrom: pMin, maxPeriodAngstrom: pMax } = opts;
  if (!(dim >= 2 && dim % 2 === 0)) throw new ValueError(`wavelengthEncoding: dim must be even and ≥ 2, got ${dim}`);
  if (!(pMin > 0 && pMax >= pMin)) throw new ValueError(`wavelengthEncoding: need 0 < minPeriod ≤ maxPeriod, got ${pMin}, ${pMax}`);
  const half = dim / 2;
  const freq = new Float64Array(half);
  for (let j = 0; j < half; j++) {
    const period = half === 1 ? pMin : pMin * Math.pow(pMax / pMin, j / (half - 1));
    freq[j] = 1 / period;
  }
  const n = wavelengthAngstrom.length;
  const res = out ?? new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const lam = wavelengthAngstrom[i]!;
    const o = outOffset + i * dim;
    for (let j = 0; j < half; j++) {
      const cycles = lam * freq[j]!;
      const phase = 2 * Math.PI * (cycles - Math.floor(cycles)); // exact range reduction in float64
      res[o + 2 * j] = Math.sin(phase);
      res[o + 2 * j + 1] = Math.cos(phase);
    }
  }
  return res;
}
