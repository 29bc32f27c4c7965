/** Per-star normalisation of flux to relative variations in parts per million. */
import { ValueError } from '@astro/core';
import { validateLightCurve, type LightCurve } from '../lightcurve.js';
import { median } from './stats.js';
import { splitAtGaps } from './gaps.js';

/**
 * Convert flux to ppm about its median: 1e6 · (flux / median − 1). With `segmentGapDays`,
 * each segment between gaps longer than that is normalised by its own median (removes
 * quarter-to-quarter offsets). Throws `ValueError` when a median is ≤ 0.
 */
export function normalizePpm(lc: LightCurve, opts: { segmentGapDays?: number } = {}): LightCurve {
  validateLightCurve(lc);
  const segments = opts.segmentGapDays !== undefined ? splitAtGaps(lc, opts.segmentGapDays) : [lc];
  const flux = new Float64Array(lc.flux.length);
  let k = 0;
  for (const s of segments) {
    const m = median(s.flux);
    if (!(m > 0)) throw new ValueError(`cannot normalise: median flux ${m} ≤ 0 (is the flux already relative to zero?)`);
    for (let i = 0; i < s.flux.length; i++) flux[k++] = 1e6 * (s.flux[i]! / m - 1);
  }
  return { timeDays: lc.timeDays.slice(), flux };
}

/**
 * Remove slow trends (spot modulation, instrumental drifts) by subtracting a running
 * median over `windowDays` (centred). Returns flux minus the trend, in the input units.
 */
export function highPassMedian(lc: LightCurve, windowDays: number): LightCurve {
  validateLightCurve(lc);
  if (!(windowDays > 0)) throw new ValueError(`windowDays must be > 0, got ${windowDays}`);
  const n = lc.flux.length;
  const out = new Float64Array(n);
  let lo = 0;
  let hi = 0;
  const h = windowDays / 2;
  // Running median over a sliding window by sorting a stride-sampled window (≤ 201 points) for speed.
  for (let i = 0; i < n; i++) {
    const t = lc.timeDays[i]!;
    while (lc.timeDays[lo]! < t - h) lo++;
    while (hi < n && lc.timeDays[hi]! <= t + h) hi++;
    const len = hi - lo;
    const stride = Math.max(1, Math.floor(len / 201));
    const w: number[] = [];
    for (let j = lo; j < hi; j += stride) w.push(lc.flux[j]!);
    out[i] = lc.flux[i]! - median(w);
  }
  return { timeDays: lc.timeDays.slice(), flux: out };
}
