/**
 * Gap handling: find gaps longer than a threshold and split a light curve into
 * contiguous segments (Kepler quarters, safe-mode events, TESS orbit downlinks).
 */
import { ValueError } from '@astro/core';
import { medianCadenceDays, validateLightCurve, type LightCurve } from '../lightcurve.js';

/** A gap between `timeDays[index − 1]` and `timeDays[index]`. */
export interface Gap {
  index: number;
  startDays: number;
  endDays: number;
}

/**
 * Gaps longer than `factor` × the median cadence (default 1.5: any missing cadence).
 * Throws `ValueError` for a factor ≤ 1.
 */
export function findGaps(lc: LightCurve, factor = 1.5): Gap[] {
  validateLightCurve(lc);
  if (!(factor > 1)) throw new ValueError(`gap factor must be > 1, got ${factor}`);
  const dt = medianCadenceDays(lc.timeDays) * factor;
  const gaps: Gap[] = [];
  for (let i = 1; i < lc.timeDays.length; i++) {
    const a = lc.timeDays[i - 1]!;
    const b = lc.timeDays[i]!;
    if (b - a > dt) gaps.push({ index: i, startDays: a, endDays: b });
  }
  return gaps;
}

/**
 * Split at gaps longer than `maxGapDays` into contiguous segments, dropping segments with
 * fewer than `minPoints` points (default 1: keep all).
 */
export function splitAtGaps(lc: LightCurve, maxGapDays: number, minPoints = 1): LightCurve[] {
  validateLightCurve(lc);
  if (!(maxGapDays > 0)) throw new ValueError(`maxGapDays must be > 0, got ${maxGapDays}`);
  const out: LightCurve[] = [];
  let start = 0;
  const n = lc.timeDays.length;
  for (let i = 1; i <= n; i++) {
    if (i === n || lc.timeDays[i]! - lc.timeDays[i - 1]! > maxGapDays) {
      if (i - start >= minPoints) out.push({ timeDays: lc.timeDays.slice(start, i), flux: lc.flux.slice(start, i) });
      start = i;
    }
  }
  return out;
}

/**
 * Place a light curve on a regular grid of step `cadenceDays` starting at its first time:
 * each point goes to the nearest grid cell; empty cells (gaps) get flux 0 and `mask` 0.
 * Returns the gridded flux, the mask (1 = observed) and the grid's start time. Used by the
 * FFT power spectrum and by patch tokenisation. Two points in one cell throw `ValueError`.
 */
export function toRegularGrid(
  lc: LightCurve,
  cadenceDays = medianCadenceDays(lc.timeDays),
): { flux: Float64Array; mask: Uint8Array; t0Days: number; cadenceDays: number } {
  validateLightCurve(lc);
  if (!(cadenceDays > 0)) throw new ValueError(`cadenceDays must be > 0, got ${cadenceDays}`);
  const t0 = lc.timeDays[0]!;
  const n = Math.round((lc.timeDays[lc.timeDays.length - 1]! - t0) / cadenceDays) + 1;
  if (n > 1 << 26) throw new ValueError(`regular grid of ${n} cells is too large (cadence ${cadenceDays} d)`);
  const flux = new Float64Array(n);
  const mask = new Uint8Array(n);
  for (let i = 0; i < lc.timeDays.length; i++) {
    const k = Math.round((lc.timeDays[i]! - t0) / cadenceDays);
    if (mask[k])
      throw new ValueError(
        `two points (index ${i}, t = ${lc.timeDays[i]} d) fall in grid cell ${k}; the cadence ${cadenceDays} d is too coarse`,
      );
    mask[k] = 1;
    flux[k] = lc.flux[i]!;
  }
  return { flux, mask, t0Days: t0, cadenceDays };
}
