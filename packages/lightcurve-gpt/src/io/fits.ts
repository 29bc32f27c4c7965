/**
 * Kepler/TESS light-curve FITS files (the `LIGHTCURVE` binary-table extension with
 * `TIME` [BJD − 2454833 for Kepler, − 2457000 for TESS; days], `PDCSAP_FLUX` [e⁻/s] and
 * `QUALITY` bit flags), read through `@astro/core/io`'s FITS parser.
 */
import { FormatError } from '@astro/core';
import { column, parseFits, readBytes, type FitsColumn, type FitsFile, type FitsHdu } from '@astro/core/io';
import { validateLightCurve, type LightCurve } from '../lightcurve.js';

/** Options of {@link parseFitsLightCurve}. */
export interface FitsLightCurveOptions {
  /** Flux column (default `'PDCSAP_FLUX'`; `'SAP_FLUX'` for simple aperture photometry). */
  fluxColumn?: string;
  /** QUALITY bits that reject a cadence (default: any non-zero flag, as lightkurve's `'hard'`-like strict mask). */
  qualityMask?: number;
  /** HDU holding the table (default: EXTNAME `LIGHTCURVE`, else the first binary table). */
  hdu?: number | string;
}

/** A FITS light curve plus how many cadences each filter removed. */
export interface FitsLightCurve extends LightCurve {
  /** Cadences in the file. */
  rows: number;
  /** Cadences dropped for a QUALITY flag in the mask. */
  droppedQuality: number;
  /** Cadences dropped for NaN time or flux (data gaps in Kepler files). */
  droppedNaN: number;
}

function numeric(c: FitsColumn, source: string): Float64Array {
  const d = c.data;
  if (Array.isArray(d)) throw new FormatError('fits', `${source}: column ${c.name} is not a numeric scalar column (TFORM ${c.form})`);
  if (c.shape.length > 0 && c.shape.reduce((a, b) => a * b, 1) !== 1) throw new FormatError('fits', `${source}: column ${c.name} has ${c.shape.join('×')} elements per row; expected a scalar`);
  const out = new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
  return out;
}

function tableHdu(file: FitsFile, which: number | string | undefined, source: string): FitsHdu {
  if (which !== undefined) return file.hdu(which);
  const named = file.hdus.find((h) => h.name?.toUpperCase() === 'LIGHTCURVE');
  const hdu = named ?? file.hdus.find((h) => h.type === 'bintable');
  if (!hdu) throw new FormatError('fits', `${source}: no LIGHTCURVE or binary-table extension`);
  return hdu;
}

/**
 * Parse a Kepler/TESS light-curve FITS file from bytes: keeps cadences with finite TIME and
 * flux and no QUALITY bit in `qualityMask`, sorted as written. Missing columns or a
 * non-table HDU throw `FormatError`; unsorted or duplicated times throw `ValueError`.
 */
export function parseFitsLightCurve(bytes: Uint8Array, opts: FitsLightCurveOptions = {}, source = 'FITS light curve'): FitsLightCurve {
  const file = parseFits(bytes);
  const table = tableHdu(file, opts.hdu, source).table();
  const t = numeric(column(table, 'TIME'), source);
  const f = numeric(column(table, opts.fluxColumn ?? 'PDCSAP_FLUX'), source);
  const hasQuality = table.columns.some((c) => c.name.toUpperCase() === 'QUALITY');
  const q = hasQuality ? numeric(column(table, 'QUALITY'), source) : new Float64Array(t.length);
  const mask = opts.qualityMask ?? 0xffffffff;
  const time = new Float64Array(t.length);
  const flux = new Float64Array(t.length);
  let k = 0;
  let droppedQuality = 0;
  let droppedNaN = 0;
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(t[i]!) || !Number.isFinite(f[i]!)) droppedNaN++;
    else if ((q[i]! & mask) !== 0) droppedQuality++;
    else {
      time[k] = t[i]!;
      flux[k++] = f[i]!;
    }
  }
  const lc = { timeDays: time.slice(0, k), flux: flux.slice(0, k) };
  validateLightCurve(lc, source);
  return { ...lc, rows: t.length, droppedQuality, droppedNaN };
}

/** Read a Kepler/TESS light-curve FITS file (optionally `.gz`) from disk (Node). See {@link parseFitsLightCurve}. */
export async function readFitsLightCurve(path: string, opts: FitsLightCurveOptions = {}): Promise<FitsLightCurve> {
  return parseFitsLightCurve(await readBytes(path), opts, path);
}
