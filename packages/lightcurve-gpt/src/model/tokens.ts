/**
 * Patch tokenisation: a light curve on its regular cadence grid is standardised per star
 * and cut into windows of `numPatches` consecutive patches of `patchSize` cadences. Each
 * token carries the patch's fluxes plus its time offset; gaps are zero-filled and masked.
 */
import { ShapeError, ValueError } from '@astro/core';
import { medianCadenceDays, validateLightCurve, type LightCurve } from '../lightcurve.js';
import { median, robustSigma } from '../prep/stats.js';

/**
 * The light curve on its median-cadence grid: points that fall in one cell (time stamps
 * that jitter within a cadence) are averaged, not refused; empty cells are gaps (mask 0).
 */
function gridForTokens(lc: LightCurve): { flux: Float64Array; mask: Uint8Array; cadenceDays: number } {
  const dt = medianCadenceDays(lc.timeDays);
  const t0 = lc.timeDays[0]!;
  const n = Math.round((lc.timeDays[lc.timeDays.length - 1]! - t0) / dt) + 1;
  if (n > 1 << 26) throw new ValueError(`patchify: a regular grid of ${n} cells is too large (cadence ${dt} d)`);
  const flux = new Float64Array(n);
  const count = new Uint32Array(n);
  for (let i = 0; i < lc.timeDays.length; i++) {
    const k = Math.round((lc.timeDays[i]! - t0) / dt);
    flux[k]! += lc.flux[i]!;
    count[k]!++;
  }
  const mask = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    if (count[k]! > 0) {
      flux[k]! /= count[k]!;
      mask[k] = 1;
    }
  }
  return { flux, mask, cadenceDays: dt };
}

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
  /** Robust flux scale σ_MAD of each window's star (flux units per standardised unit), when known. */
  fluxScale?: Float32Array;
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
  /**
   * Start-to-start step between windows in cadences: windows overlap when it is below
   * numPatches·patchSize. Default: windows spread evenly over the light curve without overlap.
   * With a stride, `maxWindows` keeps every k-th window so that at most that many remain.
   */
  strideCadences?: number;
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
  if (!(P >= 1 && T >= 2 && Number.isInteger(P) && Number.isInteger(T)))
    throw new ValueError(`patchify: need integer patchSize ≥ 1 and numPatches ≥ 2, got ${P}, ${T}`);
  const grid = gridForTokens(lc);
  const len = T * P;
  if (grid.flux.length < len)
    throw new ShapeError(
      `light curve spans ${grid.flux.length} cadences, shorter than the context of ${T} patches × ${P} = ${len} cadences`,
    );
  const m = median(lc.flux);
  const s = robustSigma(lc.flux, m) || 1;
  const maxGap = opts.maxGapFraction ?? 0.5;
  let starts: number[];
  if (opts.strideCadences !== undefined) {
    const st = opts.strideCadences;
    if (!(Number.isInteger(st) && st >= 1)) throw new ValueError(`patchify: strideCadences must be a positive integer, got ${st}`);
    const all = Math.floor((grid.flux.length - len) / st) + 1;
    const keep = Math.min(opts.maxWindows ?? all, all);
    const every = Math.ceil(all / keep);
    starts = [];
    for (let w = 0; w < all && starts.length < keep; w += every) starts.push(w * st);
  } else {
    const fit = Math.floor(grid.flux.length / len);
    const want = Math.min(opts.maxWindows ?? fit, fit);
    const stride = want > 1 ? Math.floor((grid.flux.length - len) / (want - 1)) : 0;
    starts = Array.from({ length: want }, (_, w) => w * stride);
  }
  const flux: number[] = [];
  const mask: number[] = [];
  const time: number[] = [];
  let windows = 0;
  for (const start of starts) {
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
  return {
    flux: Float32Array.from(flux),
    mask: Float32Array.from(mask),
    timeDays: Float32Array.from(time),
    windows,
    numPatches: T,
    patchSize: P,
    fluxScale: new Float32Array(windows).fill(s),
  };
}

/** Concatenate window sets with the same numPatches and patchSize. */
export function concatWindows(parts: readonly PatchWindows[]): PatchWindows {
  const first = parts[0];
  if (!first) throw new ValueError('concatWindows: nothing to concatenate');
  for (const p of parts)
    if (p.numPatches !== first.numPatches || p.patchSize !== first.patchSize)
      throw new ShapeError(`concatWindows: ${p.numPatches}×${p.patchSize} windows do not match ${first.numPatches}×${first.patchSize}`);
  const cat = (k: 'flux' | 'mask' | 'timeDays' | 'fluxScale'): Float32Array => {
    const out = new Float32Array(parts.reduce((a, p) => a + (p[k]?.length ?? 0), 0));
    let o = 0;
    for (const p of parts) {
      const v = p[k] ?? new Float32Array(0);
      out.set(v, o);
      o += v.length;
    }
    return out;
  };
  const windows = parts.reduce((a, p) => a + p.windows, 0);
  const out: PatchWindows = {
    flux: cat('flux'),
    mask: cat('mask'),
    timeDays: cat('timeDays'),
    windows,
    numPatches: first.numPatches,
    patchSize: first.patchSize,
  };
  if (parts.every((p) => p.fluxScale)) out.fluxScale = cat('fluxScale');
  return out;
}
