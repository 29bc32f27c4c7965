/** Iterative sigma clipping of flux outliers (cosmic rays, momentum dumps), as astropy's `sigma_clip`. */
import { ValueError } from '@astro/core';
import { validateLightCurve, type LightCurve } from '../lightcurve.js';
import { median, robustSigma } from './stats.js';

/** Options of {@link sigmaClip}. */
export interface SigmaClipOptions {
  /** Reject |flux − median| > sigma · σ (default 5). */
  sigma?: number;
  /** Maximum iterations (default 5); stops earlier when nothing more is rejected. */
  maxIterations?: number;
  /** `'mad'` (default): σ = 1.4826 × median absolute deviation; `'std'`: the standard deviation. */
  stdfunc?: 'mad' | 'std';
}

/**
 * Iteratively remove points more than `sigma` σ from the median (centre and σ recomputed
 * on the kept points each pass). Returns the kept light curve and the number removed.
 */
export function sigmaClip(lc: LightCurve, opts: SigmaClipOptions = {}): { lightCurve: LightCurve; removed: number } {
  validateLightCurve(lc);
  const k = opts.sigma ?? 5;
  if (!(k > 0)) throw new ValueError(`sigma must be > 0, got ${k}`);
  const keep = new Uint8Array(lc.flux.length).fill(1);
  let kept = lc.flux.length;
  for (let it = 0; it < (opts.maxIterations ?? 5); it++) {
    const vals = new Float64Array(kept);
    let j = 0;
    for (let i = 0; i < keep.length; i++) if (keep[i]) vals[j++] = lc.flux[i]!;
    const c = median(vals);
    let s: number;
    if (opts.stdfunc === 'std') {
      let ss = 0;
      for (const v of vals) ss += (v - c) ** 2;
      s = Math.sqrt(ss / vals.length);
    } else s = robustSigma(vals, c);
    let changed = 0;
    for (let i = 0; i < keep.length; i++) {
      if (keep[i] && Math.abs(lc.flux[i]! - c) > k * s) {
        keep[i] = 0;
        changed++;
      }
    }
    kept -= changed;
    if (changed === 0) break;
  }
  const t = new Float64Array(kept);
  const f = new Float64Array(kept);
  let j = 0;
  for (let i = 0; i < keep.length; i++) {
    if (keep[i]) {
      t[j] = lc.timeDays[i]!;
      f[j++] = lc.flux[i]!;
    }
  }
  return { lightCurve: { timeDays: t, flux: f }, removed: lc.flux.length - kept };
}
