/**
 * Patch tokenisation: a light curve on its regular cadence grid is standardised per star
 * and cut into windows of `numPatches` consecutive patches of `patchSize` cadences. Each
 * token carries the patch's fluxes plus its time offset; gaps are zero-filled and masked.
 */
import { ShapeError, ValueError } from '@astro/core';
import { validateLightCurve, type LightCurve } from '../lightcurve.js';
import { toRegularGrid } from '../prep/gaps.js';
import { median, robustSigma } from '../prep/stats.js';

/** Token windows ready for the model. */
export interface PatchWindows {
  /** [windows, numPatches, patchSize] standardised flux (gaps = 0), row-major. */
  flux: Float32Array;
  /** [windows, numPatches, patchSize]: 1 = observed cadence, 0 = gap. */
  mask: Float32Array;
  /** [windows, numPatches]: patch start time since the window start (days). */
  timeDays: Float32Array;
  windows: number;
  numPatches: number;
  patchSize: number;
}

/** Options of {@link patchify}. */
export interface PatchifyOptions {
  /** Cadences per patch (default 80, as Pan et al. 2024). */
  patchSize?: number;
  /** Patches per window (context length in tokens). */
  numPatches: number;
  /** Windows to cut; evenly spaced over the light curve (default: as many as fit without overlap). */
  maxWindows?: number;
  /** Skip windows with more than this fraction of gap cadences (default 0.5). */
  maxGapFraction?: number;
}

/**
 * Cut a light curve into standardised patch windows: flux → (flux − median)/σ_MAD per star.
 * Throws `ShapeError` when the series is shorter than one window (`numPatches·patchSize`
 * cadences), naming both lengths.
 */
export function patchify(lc: LightCurve, opts: PatchifyOptions): PatchWindows {
  validateLightCurve(lc);
  const P = opts.patchSize ?? 80;
  const T = opts.numPatches;
  if (!(P >= 1 && T >= 2 && Number.isInteger(P) && Number.isInteger(T))) throw new ValueError(`patchify: need integer patchSize ≥ 1 and numPatches ≥ 2, got ${P}, ${T}`);
  const grid = toRegularGrid(lc);
  const len = T * P;
  if (grid.flux.length < len) throw new ShapeError(`light curve spans ${grid.flux.length} cadences, shorter than the context of ${T} patches × ${P} = ${len} cadences`);
  const m = median(lc.flux);
  const s = robustSigma(lc.flux, m) || 1;
  const fit = Math.floor(grid.flux.length / len);
  const want = Math.min(opts.maxWindows ?? fit, fit);
  const maxGap = opts.maxGapFraction ?? 0.5;
  const flux: number[] = [];
  const mask: number[] = [];
  const time: number[] = [];
  let windows = 0;
  const stride = want > 1 ? Math.floor((grid.flux.length - len) / (want - 1)) : 0;
  for (let w = 0; w < want; w++) {
    const start = w * stride;
    let obs = 0;
    for (let i = 0; i < len; i++) obs += grid.mask[start + i]!;
    if (obs < (1 - maxGap) * len) continue;
    for (let i = 0; i < len; i++) {
      const k = start + i;
      const on = grid.mask[k]!;
      flux.push(on ? (grid.flux[k]! - m) / s : 0);
      mask.push(on);
    }
    for (let p = 0; p < T; p++) time.push(p * P * grid.cadenceDays);
    windows++;
  }
  return { flux: Float32Array.from(flux), mask: Float32Array.from(mask), timeDays: Float32Array.from(time), windows, numPatches: T, patchSize: P };
}

/** Concatenate window sets with the same numPatches and patchSize. */
export function concatWindows(parts: readonly PatchWindows[]): PatchWindows {
  const first = parts[0];
  if (!first) throw new ValueError('concatWindows: nothing to concatenate');
  for (const p of parts) if (p.numPatches !== first.numPatches || p.patchSize !== first.patchSize) throw new ShapeError(`concatWindows: ${p.numPatches}×${p.patchSize} windows do not match ${first.numPatches}×${first.patchSize}`);
  const cat = (k: 'flux' | 'mask' | 'timeDays'): Float32Array => {
    const out = new Float32Array(parts.reduce((a, p) => a + p[k].length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p[k], o);
      o += p[k].length;
    }
    return out;
  };
  return { flux: cat('flux'), mask: cat('mask'), timeDays: cat('timeDays'), windows: parts.reduce((a, p) => a + p.windows, 0), numPatches: first.numPatches, patchSize: first.patchSize };
}
