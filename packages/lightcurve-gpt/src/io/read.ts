/**
 * Read a light curve from whatever a user has: one text or FITS file, a list of Kepler/TESS
 * quarter (sector) files, or a folder of them, stitched into one light curve.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileError, ValueError } from '@astro/core';
import type { LightCurve } from '../lightcurve.js';
import { sortAndMerge } from '../prep/hygiene.js';
import { median } from '../prep/stats.js';
import { readFitsLightCurve, type FitsLightCurveOptions } from './fits.js';
import { namedReadError, readTextLightCurve } from './text.js';

/** One input file of a {@link ReadLightCurveResult}. */
export interface LightCurvePart {
  path: string;
  /** Rows in the file. */
  rows: number;
  /** Rows kept (after the drops below and merging repeated stamps). */
  kept: number;
  /** Rows dropped for a QUALITY flag (FITS only). */
  droppedQuality: number;
  /** Rows dropped for NaN/±Inf time or flux. */
  droppedNaN: number;
  /** Median flux the part was divided by when stitching (1 for a single file: not normalised). */
  median: number;
  /** KEPLERID/TICID/OBJECT of a FITS file. */
  target?: string;
}

/** What {@link readLightCurve} returns: the light curve plus per-file counts. */
export interface ReadLightCurveResult extends LightCurve {
  /** Files read, in time order. */
  parts: LightCurvePart[];
  /** Totals over the parts. */
  rows: number;
  droppedQuality: number;
  droppedNaN: number;
  /** True when rows were sorted; rows merged for exactly repeated stamps (within and across files). */
  sorted: boolean;
  mergedDuplicates: number;
  /** True when several files were stitched (each divided by its own median: relative flux about 1). */
  stitched: boolean;
}

/** Options of {@link readLightCurve}. */
export interface ReadLightCurveOptions extends FitsLightCurveOptions {
  /** Only files of this target (e.g. `'KIC 5899262'` or `'5899262'`), for a folder that holds several stars. */
  target?: string;
}

const FITS_RE = /\.(fits?|fz)(\.gz)?$/i;
const TEXT_RE = /\.(txt|dat|csv|tsv)$/i;

async function readOne(
  path: string,
  opts: ReadLightCurveOptions,
): Promise<LightCurve & Omit<LightCurvePart, 'kept' | 'median'> & { sorted: boolean; mergedDuplicates: number }> {
  if (FITS_RE.test(path)) {
    const r = await readFitsLightCurve(path, opts);
    return { ...r, path, droppedQuality: r.droppedQuality, droppedNaN: r.droppedNaN };
  }
  const r = await readTextLightCurve(path);
  return { ...r, path, droppedQuality: 0 };
}

async function expand(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(p);
    } catch (e) {
      throw namedReadError(e, p, 'lightcurve');
    }
    if (!st.isDirectory()) {
      if (!st.isFile()) throw new FileError(p, 'is not a regular file');
      if (st.size === 0) throw new FileError(p, 'is empty');
      out.push(p);
      continue;
    }
    const names = (await readdir(p)).filter((n) => FITS_RE.test(n) || TEXT_RE.test(n)).sort();
    if (names.length === 0) throw new FileError(p, 'is a folder with no light-curve files (.fits, .fits.gz, .txt)');
    out.push(...names.map((n) => join(p, n)));
  }
  return out;
}

function sameTarget(a: string, want: string): boolean {
  const digits = (s: string): string => s.replace(/\D/g, '').replace(/^0+/, '');
  return a === want || (digits(want) !== '' && digits(a) === digits(want));
}

/**
 * Read a light curve (Node). `source` is a `.fits`/`.fits.gz` or two-column text file, a
 * folder of such files, or a list of them. One file is returned as stored (sorted, repeated
 * stamps merged, NaN rows dropped, and for FITS QUALITY-flagged cadences dropped — all counted).
 * Several files (Kepler quarters, TESS sectors) are stitched: each divided by its own median
 * flux (removing quarter-to-quarter jumps), concatenated and sorted, so the flux is relative
 * about 1 (use `normalizePpm` for ppm). A folder holding several targets needs `target`.
 * Unreadable, missing or corrupt files throw a typed error naming the file.
 */
export async function readLightCurve(source: string | readonly string[], opts: ReadLightCurveOptions = {}): Promise<ReadLightCurveResult> {
  const list = typeof source === 'string' ? [source] : source;
  if (list.length === 0) throw new ValueError('readLightCurve: no files given');
  const files = await expand(list);
  const single = files.length === 1 && typeof source === 'string';
  let parts = await Promise.all(files.map((f) => readOne(f, opts)));
  if (opts.target !== undefined) {
    parts = parts.filter((p) => p.target !== undefined && sameTarget(p.target, opts.target!));
    if (parts.length === 0) throw new ValueError(`readLightCurve: no file of target '${opts.target}' in ${list.join(', ')}`);
  }
  const targets = [...new Set(parts.map((p) => p.target).filter((t): t is string => t !== undefined))];
  if (targets.length > 1)
    throw new ValueError(
      `readLightCurve: the files hold ${targets.length} different targets (${targets.slice(0, 6).join(', ')}${targets.length > 6 ? ', …' : ''}); pass the files of one star or set target`,
    );
  parts.sort((a, b) => a.timeDays[0]! - b.timeDays[0]!);
  const meds = parts.map((p) => (single ? 1 : median(p.flux)));
  meds.forEach((m, i) => {
    if (!single && !(m > 0)) throw new ValueError(`${parts[i]!.path}: median flux ${m} ≤ 0; cannot normalise this part for stitching`);
  });
  const n = parts.reduce((s, p) => s + p.timeDays.length, 0);
  const t = new Float64Array(n);
  const f = new Float64Array(n);
  let k = 0;
  parts.forEach((p, i) => {
    for (let j = 0; j < p.timeDays.length; j++) {
      t[k] = p.timeDays[j]!;
      f[k++] = p.flux[j]! / meds[i]!;
    }
  });
  const merged = sortAndMerge({ timeDays: t, flux: f });
  const sum = (key: 'rows' | 'droppedQuality' | 'droppedNaN' | 'mergedDuplicates'): number => parts.reduce((s, p) => s + p[key], 0);
  return {
    timeDays: merged.timeDays,
    flux: merged.flux,
    parts: parts.map((p, i) => ({
      path: p.path,
      rows: p.rows,
      kept: p.timeDays.length,
      droppedQuality: p.droppedQuality,
      droppedNaN: p.droppedNaN,
      median: meds[i]!,
      ...(p.target ? { target: p.target } : {}),
    })),
    rows: sum('rows'),
    droppedQuality: sum('droppedQuality'),
    droppedNaN: sum('droppedNaN'),
    sorted: parts.some((p) => p.sorted) || merged.sorted,
    mergedDuplicates: sum('mergedDuplicates') + merged.mergedDuplicates,
    stitched: parts.length > 1,
  };
}
