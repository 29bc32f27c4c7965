/**
 * Kepler/TESS light-curve FITS files (the `LIGHTCURVE` binary-table extension with
 * `TIME` [BJD − 2454833 for Kepler (BKJD), − 2457000 for TESS (BTJD); days], `PDCSAP_FLUX`
 * [e⁻/s] and `QUALITY` bit flags, `SAP_QUALITY` in Kepler archive files), read through `@astro/core/io`'s FITS parser. The time
 * reference comes from the header's `BJDREFI` + `BJDREFF` and `TIMEUNIT` (Kepler Archive
 * Manual §2.3.2; TESS Science Data Products ICD), falling back to the mission's offset from
 * `TELESCOP` when the keywords are absent.
 */
import { FormatError, ValueError } from '@astro/core';
import { column, parseFits, readBytes, type FitsColumn, type FitsFile, type FitsHdu, type FitsHeader } from '@astro/core/io';
import type { LightCurve } from '../lightcurve.js';
import { sortAndMerge } from '../prep/hygiene.js';
import { namedReadError } from './text.js';

/** Options of {@link parseFitsLightCurve}. */
export interface FitsLightCurveOptions {
  /** Flux column (default `'PDCSAP_FLUX'`; `'SAP_FLUX'` for simple aperture photometry). */
  fluxColumn?: string;
  /**
   * QUALITY bits that reject a cadence: a bit mask, `'default'` (lightkurve's recommended mask
   * for the file's mission: {@link QUALITY_MASKS}; any non-zero flag when the mission is
   * unknown) or `'hardest'` (any non-zero flag). Default `'default'`.
   */
  qualityMask?: number | 'default' | 'hardest';
  /** HDU holding the table (default: EXTNAME `LIGHTCURVE`, else the first binary table). */
  hdu?: number | string;
  /**
   * Returned time axis: `'mission'` (default) — TIME as stored, in days (BKJD for Kepler,
   * BTJD for TESS); `'bjd'` — absolute barycentric Julian date, TIME + BJDREFI + BJDREFF.
   */
  time?: 'mission' | 'bjd';
}

/** BJD − TIME of each mission's light-curve files (days): Kepler/K2 BKJD, TESS BTJD. */
export const MISSION_BJD_OFFSET_DAYS: Readonly<Record<string, number>> = { KEPLER: 2454833, K2: 2454833, TESS: 2457000 };

/**
 * lightkurve's recommended ("default") QUALITY masks: cadences that are definitely bad.
 * Kepler/K2 (Kepler Archive Manual Table 2.3): AttitudeTweak 1, SafeMode 2, CoarsePoint 4,
 * EarthPoint 8, Desat 32, ManualExclude 256, DetectorAnomaly 16384, NoData 65536,
 * ThrusterFiring 1048576. TESS (SDPDD): AttitudeTweak 1, SafeMode 2, CoarsePoint 4, EarthPoint 8,
 * Argabrightening 16, Desat 32, ManualExclude 128, ImpulsiveOutlier 512, BadCalibrationExclude 16384.
 * Flags such as rolling band, cosmic ray or planet-search exclude mark usable cadences.
 */
export const QUALITY_MASKS: Readonly<Record<string, number>> = {
  KEPLER: 1 | 2 | 4 | 8 | 32 | 256 | 16384 | 65536 | 1048576,
  K2: 1 | 2 | 4 | 8 | 32 | 256 | 16384 | 65536 | 1048576,
  TESS: 1 | 2 | 4 | 8 | 16 | 32 | 128 | 512 | 16384,
};

/** A FITS light curve plus how many cadences each filter removed. */
export interface FitsLightCurve extends LightCurve {
  /** Cadences in the file. */
  rows: number;
  /** Cadences dropped for a QUALITY flag in the mask. */
  droppedQuality: number;
  /** Cadences dropped for NaN time or flux (data gaps in Kepler files). */
  droppedNaN: number;
  /** True when the rows were not in time order and were sorted. */
  sorted: boolean;
  /** Rows removed by merging exactly repeated time stamps (fluxes averaged). */
  mergedDuplicates: number;
  /** `KEPLERID`, `TICID` or `OBJECT` of the file, when present. */
  target?: string;
  /** `TELESCOP` of the file (e.g. `'Kepler'`, `'TESS'`), when present. */
  telescope?: string;
  /** BJD of TIME = 0 (days): BJDREFI + BJDREFF, else the mission's offset; null when neither is known. */
  bjdRefDays: number | null;
  /** The time axis returned: as stored (`'mission'`) or absolute BJD (`'bjd'`). */
  timeSystem: 'mission' | 'bjd';
}

function numeric(c: FitsColumn, source: string): Float64Array {
  const d = c.data;
  if (Array.isArray(d)) throw new FormatError('fits', `${source}: column ${c.name} is not a numeric scalar column (TFORM ${c.form})`);
  if (c.shape.length > 0 && c.shape.reduce((a, b) => a * b, 1) !== 1)
    throw new FormatError('fits', `${source}: column ${c.name} has ${c.shape.join('×')} elements per row; expected a scalar`);
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

/** A keyword from the table HDU, else from the primary header (where TESS and Kepler put TELESCOP). */
function keyword(table: FitsHeader, primary: FitsHeader | undefined, key: string): FitsHeader | undefined {
  if (table.has(key)) return table;
  return primary?.has(key) ? primary : undefined;
}

/** Time reference and unit scale of a light-curve table: BJD at TIME = 0 (days, or null) and days per TIME unit. */
function timeReference(
  table: FitsHeader,
  primary: FitsHeader | undefined,
  source: string,
): { telescope?: string; bjdRefDays: number | null; daysPerUnit: number } {
  const tel = keyword(table, primary, 'TELESCOP')?.string('TELESCOP')?.trim();
  const refI = keyword(table, primary, 'BJDREFI');
  const refF = keyword(table, primary, 'BJDREFF');
  const refAll = keyword(table, primary, 'BJDREF');
  let bjdRefDays: number | null = null;
  if (refI || refF) bjdRefDays = (refI?.number('BJDREFI') ?? 0) + (refF?.number('BJDREFF') ?? 0);
  else if (refAll) bjdRefDays = refAll.number('BJDREF');
  else if (tel && MISSION_BJD_OFFSET_DAYS[tel.toUpperCase()] !== undefined) bjdRefDays = MISSION_BJD_OFFSET_DAYS[tel.toUpperCase()]!;
  const unit = (keyword(table, primary, 'TIMEUNIT')?.string('TIMEUNIT') ?? 'd').trim().toLowerCase();
  const daysPerUnit = unit === 'd' || unit === 'day' || unit === 'days' ? 1 : unit === 's' ? 1 / 86400 : NaN;
  if (Number.isNaN(daysPerUnit)) throw new FormatError('fits', `${source}: TIMEUNIT '${unit}' is not supported (expected 'd' or 's')`);
  return { ...(tel ? { telescope: tel } : {}), bjdRefDays, daysPerUnit };
}

/**
 * Parse a Kepler/TESS light-curve FITS file from bytes: keeps cadences with finite TIME and
 * flux and no QUALITY bit in `qualityMask` (default: lightkurve's recommended mask of the mission). TIME is converted to days
 * (`TIMEUNIT` 'd' or 's') and, with `time: 'bjd'`, to absolute BJD using BJDREFI + BJDREFF
 * (else the mission offset: Kepler/K2 2454833, TESS 2457000). Missing columns, a non-table
 * HDU or an unknown TIMEUNIT throw `FormatError`; `time: 'bjd'` without any reference throws
 * `ValueError`; unsorted rows are sorted and exactly repeated stamps merged (counted); a file
 * with no usable cadence throws `ValueError`.
 */
export function parseFitsLightCurve(bytes: Uint8Array, opts: FitsLightCurveOptions = {}, source = 'FITS light curve'): FitsLightCurve {
  const file = parseFits(bytes);
  const hdu = tableHdu(file, opts.hdu, source);
  const table = hdu.table();
  const ref = timeReference(hdu.header, file.hdus[0]?.header, source);
  const timeSystem = opts.time ?? 'mission';
  if (timeSystem !== 'mission' && timeSystem !== 'bjd')
    throw new ValueError(`${source}: time must be 'mission' or 'bjd', got '${String(timeSystem)}'`);
  if (timeSystem === 'bjd' && ref.bjdRefDays === null)
    throw new ValueError(
      `${source}: cannot convert TIME to BJD: no BJDREFI/BJDREFF/BJDREF keywords and TELESCOP ${ref.telescope ?? '(absent)'} is not Kepler, K2 or TESS`,
    );
  const offset = timeSystem === 'bjd' ? ref.bjdRefDays! : 0;
  const t = numeric(column(table, 'TIME'), source);
  const f = numeric(column(table, opts.fluxColumn ?? 'PDCSAP_FLUX'), source);
  // TESS and newer files call the flags QUALITY; Kepler/K2 archive files SAP_QUALITY.
  const qualityName = ['QUALITY', 'SAP_QUALITY'].find((n) => table.columns.some((c) => c.name.toUpperCase() === n));
  const q = qualityName ? numeric(column(table, qualityName), source) : new Float64Array(t.length);
  const qm = opts.qualityMask ?? 'default';
  if (typeof qm === 'number' ? !(Number.isInteger(qm) && qm >= 0) : qm !== 'default' && qm !== 'hardest')
    throw new ValueError(`${source}: qualityMask must be a non-negative integer, 'default' or 'hardest', got ${String(qm)}`);
  const mask =
    typeof qm === 'number' ? qm : qm === 'hardest' ? 0xffffffff : (QUALITY_MASKS[ref.telescope?.toUpperCase() ?? ''] ?? 0xffffffff);
  const time = new Float64Array(t.length);
  const flux = new Float64Array(t.length);
  let k = 0;
  let droppedQuality = 0;
  let droppedNaN = 0;
  for (let i = 0; i < t.length; i++) {
    if (!Number.isFinite(t[i]!) || !Number.isFinite(f[i]!)) droppedNaN++;
    else if ((q[i]! & mask) !== 0) droppedQuality++;
    else {
      time[k] = offset + t[i]! * ref.daysPerUnit;
      flux[k++] = f[i]!;
    }
  }
  if (k === 0)
    throw new ValueError(
      `${source}: no cadence left after dropping ${droppedNaN} NaN and ${droppedQuality} quality-flagged rows of ${t.length}`,
    );
  const lc = sortAndMerge({ timeDays: time.slice(0, k), flux: flux.slice(0, k) });
  const primary = file.hdus[0]?.header;
  let target: string | undefined;
  for (const key of ['KEPLERID', 'TICID', 'OBJECT']) {
    const h = keyword(hdu.header, primary, key);
    if (h) {
      const v = h.get(key);
      if ((typeof v === 'number' || typeof v === 'string') && String(v).trim() !== '') {
        target = `${key === 'KEPLERID' ? 'KIC ' : key === 'TICID' ? 'TIC ' : ''}${String(v).trim()}`;
        break;
      }
    }
  }
  return {
    ...lc,
    ...(target ? { target } : {}),
    rows: t.length,
    droppedQuality,
    droppedNaN,
    ...(ref.telescope ? { telescope: ref.telescope } : {}),
    bjdRefDays: ref.bjdRefDays,
    timeSystem,
  };
}

/** Read a Kepler/TESS light-curve FITS file (optionally `.gz`) from disk (Node). See {@link parseFitsLightCurve}. */
export async function readFitsLightCurve(path: string, opts: FitsLightCurveOptions = {}): Promise<FitsLightCurve> {
  try {
    return parseFitsLightCurve(await readBytes(path), opts, path);
  } catch (e) {
    throw namedReadError(e, path, 'fits');
  }
}
