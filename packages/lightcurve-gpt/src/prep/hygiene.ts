/**
 * Input hygiene for real photometry that keeps the data: sort, merge exactly repeated time
 * stamps, and bin stamps that jitter within a cadence onto the cadence grid (as real Kepler
 * 1-minute light curves need: their stamps jitter and repeat at the sub-cadence level).
 * Every change is counted, so a caller can say what was done.
 */
import { ShapeError, ValueError } from '@astro/core';
import type { LightCurve } from '../lightcurve.js';

/** What {@link binToCadence} did to a light curve. */
export interface HygieneReport {
  /** Points given. */
  input: number;
  /** Points dropped for NaN/±Inf time or flux (only with `nonFinite: 'drop'`). */
  droppedNonFinite: number;
  /** True when the times were not in increasing order and were sorted. */
  sorted: boolean;
  /** Points removed by merging rows with exactly the same time stamp (their fluxes averaged). */
  mergedDuplicates: number;
  /** Points removed by averaging several stamps that fall in one cadence cell (sub-cadence jitter). */
  binned: number;
  /** Largest distance of a kept stamp from its grid time, in cadences (≤ 0.5). */
  maxOffsetCadences: number;
  /** Cadence used (days): the median spacing of the distinct stamps, or the one given. */
  cadenceDays: number;
  /** Factor by which the cadence was coarsened to keep the grid ≤ `maxCells` (1: not coarsened). */
  coarsened: number;
  /** Points in the returned light curve. */
  kept: number;
}

/** Options of {@link binToCadence}. */
export interface BinToCadenceOptions {
  /** Grid step (days; default: median spacing of the distinct time stamps). */
  cadenceDays?: number;
  /** NaN/±Inf rows: `'error'` (default) throws `ValueError` naming the index; `'drop'` drops and counts them. */
  nonFinite?: 'error' | 'drop';
  /** Largest grid (cells) before the cadence is coarsened by an integer factor (default 2²⁴). */
  maxCells?: number;
}

/** A light curve on a regular grid (occupied cells only) and its grid. */
export interface GriddedLightCurve {
  /** The cleaned light curve: times are grid times `t0 + k·cadence`, strictly increasing. */
  lightCurve: LightCurve;
  /** Grid cell index of each point (`timeDays[i] = t0Days + cell[i] · cadenceDays`). */
  cell: Int32Array;
  /** Grid origin (days). */
  t0Days: number;
  /** Number of grid cells spanned. */
  cells: number;
  /** What was done. */
  report: HygieneReport;
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : 0.5 * (s[n / 2 - 1]! + s[n / 2]!);
}

/**
 * Sort, merge exact duplicate stamps and bin onto the cadence grid: each point goes to cell
 * round((t − t₀)/cadence) and points sharing a cell are averaged (the data are kept, not
 * refused). The cadence is the median spacing of the distinct stamps unless given. Throws
 * `ShapeError` for unequal lengths or an empty series, `ValueError` for NaN/Inf (unless
 * `nonFinite: 'drop'`) or a non-positive cadence.
 */
export function binToCadence(lc: LightCurve, opts: BinToCadenceOptions = {}): GriddedLightCurve {
  const t0raw = lc.timeDays;
  const f0raw = lc.flux;
  if (!t0raw || !f0raw || typeof t0raw.length !== 'number' || typeof f0raw.length !== 'number')
    throw new ShapeError('light curve: timeDays and flux must be arrays');
  if (t0raw.length !== f0raw.length) throw new ShapeError(`light curve: ${t0raw.length} times but ${f0raw.length} fluxes`);
  const input = t0raw.length;
  if (input === 0) throw new ShapeError('light curve: no points');
  const mode = opts.nonFinite ?? 'error';
  // 1. finite values
  const idx: number[] = [];
  for (let i = 0; i < input; i++) {
    const ti = Number(t0raw[i]);
    const fi = Number(f0raw[i]);
    if (Number.isFinite(ti) && Number.isFinite(fi)) idx.push(i);
    else if (mode === 'error')
      throw new ValueError(
        `light curve: ${Number.isFinite(ti) ? `flux[${i}]` : `time[${i}]`} is ${Number.isFinite(ti) ? fi : ti} (readers drop such rows and count them; drop them first, e.g. with dropNonFinite)`,
      );
  }
  const droppedNonFinite = input - idx.length;
  if (idx.length === 0) throw new ValueError('light curve: no finite points');
  // 2. sort (stable)
  let sorted = false;
  for (let k = 1; k < idx.length; k++)
    if (Number(t0raw[idx[k]!]) < Number(t0raw[idx[k - 1]!])) {
      sorted = true;
      break;
    }
  if (sorted) idx.sort((a, b) => Number(t0raw[a]) - Number(t0raw[b]) || a - b);
  // 3. merge exact duplicates
  const tu: number[] = [];
  const fu: number[] = [];
  let mergedDuplicates = 0;
  for (let k = 0; k < idx.length;) {
    const t = Number(t0raw[idx[k]!]);
    let s = 0;
    let c = 0;
    while (k < idx.length && Number(t0raw[idx[k]!]) === t) {
      s += Number(f0raw[idx[k]!]);
      c++;
      k++;
    }
    tu.push(t);
    fu.push(s / c);
    mergedDuplicates += c - 1;
  }
  // 4. cadence and grid
  let cadence = opts.cadenceDays;
  if (cadence === undefined) {
    if (tu.length < 2) cadence = 1;
    else {
      const d = new Float64Array(tu.length - 1);
      for (let i = 1; i < tu.length; i++) d[i - 1] = tu[i]! - tu[i - 1]!;
      cadence = median(d);
    }
  }
  if (!(cadence > 0) || !Number.isFinite(cadence)) throw new ValueError(`cadenceDays must be finite and > 0, got ${cadence}`);
  const t0 = tu[0]!;
  const span = tu[tu.length - 1]! - t0;
  const maxCells = opts.maxCells ?? 1 << 24;
  let coarsened = 1;
  while (span / (cadence * coarsened) + 1 > maxCells) coarsened *= 2;
  const dt = cadence * coarsened;
  const cellsOf: number[] = [];
  const t: number[] = [];
  const f: number[] = [];
  let binned = 0;
  let maxOff = 0;
  for (let k = 0; k < tu.length;) {
    const cell = Math.round((tu[k]! - t0) / dt);
    let s = 0;
    let c = 0;
    while (k < tu.length && Math.round((tu[k]! - t0) / dt) === cell) {
      maxOff = Math.max(maxOff, Math.abs((tu[k]! - t0) / dt - cell));
      s += fu[k]!;
      c++;
      k++;
    }
    cellsOf.push(cell);
    t.push(t0 + cell * dt);
    f.push(s / c);
    binned += c - 1;
  }
  const cells = cellsOf[cellsOf.length - 1]! + 1;
  return {
    lightCurve: { timeDays: Float64Array.from(t), flux: Float64Array.from(f) },
    cell: Int32Array.from(cellsOf),
    t0Days: t0,
    cells,
    report: {
      input,
      droppedNonFinite,
      sorted,
      mergedDuplicates,
      binned,
      maxOffsetCadences: maxOff,
      cadenceDays: dt,
      coarsened,
      kept: t.length,
    },
  };
}

/** One line saying what {@link binToCadence} changed (empty string when nothing). */
export function describeHygiene(r: HygieneReport): string {
  const parts: string[] = [];
  if (r.droppedNonFinite) parts.push(`dropped ${r.droppedNonFinite} NaN/Inf rows`);
  if (r.sorted) parts.push('sorted the times');
  if (r.mergedDuplicates) parts.push(`merged ${r.mergedDuplicates} repeated time stamps`);
  if (r.binned) parts.push(`binned ${r.binned} sub-cadence stamps onto the ${(r.cadenceDays * 86400).toFixed(1)} s grid`);
  if (r.coarsened > 1) parts.push(`coarsened the cadence ${r.coarsened}× to fit the grid`);
  return parts.join('; ');
}

/** A light curve with its times sorted and exact repeats merged, and counts of what changed. */
export interface SortedLightCurve extends LightCurve {
  /** True when the rows were not in time order and were sorted. */
  sorted: boolean;
  /** Rows removed by merging exactly repeated time stamps (fluxes averaged). */
  mergedDuplicates: number;
}

/**
 * Sort by time (stable) and merge rows with exactly the same time stamp (mean flux): what the
 * readers do so that a real file is never refused for its order or repeated stamps. Inputs
 * must be finite (drop NaN rows first); throws `ShapeError` for unequal lengths.
 */
export function sortAndMerge(lc: LightCurve): SortedLightCurve {
  const { timeDays: t, flux: f } = lc;
  if (t.length !== f.length) throw new ShapeError(`light curve: ${t.length} times but ${f.length} fluxes`);
  const n = t.length;
  let sorted = false;
  for (let i = 1; i < n; i++)
    if (t[i]! < t[i - 1]!) {
      sorted = true;
      break;
    }
  const idx = Array.from({ length: n }, (_, i) => i);
  if (sorted) idx.sort((a, b) => t[a]! - t[b]! || a - b);
  const to: number[] = [];
  const fo: number[] = [];
  let merged = 0;
  for (let k = 0; k < n;) {
    const tk = t[idx[k]!]!;
    let s = 0;
    let c = 0;
    while (k < n && t[idx[k]!] === tk) {
      s += f[idx[k]!]!;
      c++;
      k++;
    }
    to.push(tk);
    fo.push(s / c);
    merged += c - 1;
  }
  return { timeDays: Float64Array.from(to), flux: Float64Array.from(fo), sorted, mergedDuplicates: merged };
}
