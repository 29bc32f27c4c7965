import { ShapeError, ValueError } from '@astro/core';

/** Per-spectrum standardisation of {@link zscore}. */
export interface ZScored {
  /** (flux − mean)/std [n, pixels]; masked (NaN) pixels are 0. */
  z: Float32Array;
  /** 1 where the pixel was observed, 0 where masked [n, pixels]. */
  observed: Float32Array;
  /** Mean over observed pixels [n]. */
  mean: Float32Array;
  /** Natural log of the standard deviation over observed pixels [n] (SpecCLIP's log-std token). */
  logStd: Float32Array;
}

/**
 * Z-score each spectrum over its observed pixels: NaN/±Inf pixels are masked (z = 0, observed = 0),
 * never propagated. flux [n, pixels] row-major.
 * @throws {ShapeError} when flux is empty or its length is not a multiple of `pixels`.
 * @throws {ValueError} when a spectrum has fewer than 2 observed pixels or zero variance.
 */
export function zscore(flux: ArrayLike<number>, pixels: number): ZScored {
  if (!Number.isInteger(pixels) || pixels < 2 || flux.length % pixels !== 0 || flux.length === 0) {
    throw new ShapeError(`zscore: flux length ${flux.length} is not a positive multiple of pixels=${pixels} (an integer ≥ 2)`);
  }
  const n = flux.length / pixels;
  const z = new Float32Array(flux.length);
  const observed = new Float32Array(flux.length);
  const mean = new Float32Array(n);
  const logStd = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let c = 0;
    let s = 0;
    for (let i = 0; i < pixels; i++) {
      const v = flux[r * pixels + i]!;
      if (Number.isFinite(v)) {
        c++;
        s += v;
      }
    }
    if (c < 2) throw new ValueError(`zscore: spectrum ${r} has ${c} observed pixels; at least 2 are needed`);
    const m = s / c;
    let ss = 0;
    for (let i = 0; i < pixels; i++) {
      const v = flux[r * pixels + i]!;
      if (Number.isFinite(v)) ss += (v - m) ** 2;
    }
    const sd = Math.sqrt(ss / c);
    if (!(sd > 1e-12 * Math.max(1, Math.abs(m)))) throw new ValueError(`zscore: spectrum ${r} has zero variance (constant flux ${m})`);
    mean[r] = m;
    logStd[r] = Math.log(sd);
    for (let i = 0; i < pixels; i++) {
      const k = r * pixels + i;
      const v = flux[k]!;
      if (Number.isFinite(v)) {
        z[k] = (v - m) / sd;
        observed[k] = 1;
      }
    }
  }
  return { z, observed, mean, logStd };
}
