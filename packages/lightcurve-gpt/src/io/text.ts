/**
 * Two-column text light curves (time in days, flux), as Kepler/TESS light curves are
 * commonly exported (e.g. pySYD's `*_LC.txt`). Comment lines start with `#`.
 */
import { AstroError, FileError, FormatError, ShapeError, ValueError } from '@astro/core';
import { numericColumn, parseText, readText, type TextTable } from '@astro/core/io';
import { dropNonFinite, type LightCurve } from '../lightcurve.js';
import { sortAndMerge } from '../prep/hygiene.js';

/** A text light curve plus what the reader changed. */
export interface TextLightCurve extends LightCurve {
  /** Data rows in the file. */
  rows: number;
  /** Rows dropped for NaN/±Inf time or flux. */
  droppedNaN: number;
  /** True when the rows were not in time order and were sorted. */
  sorted: boolean;
  /** Rows removed by merging exactly repeated time stamps (fluxes averaged). */
  mergedDuplicates: number;
}

function fromTable(table: TextTable, source: string): TextLightCurve {
  if (table.names.length < 2)
    throw new FormatError('lightcurve-text', `${source}: need two columns (time, flux), found ${table.names.length}`);
  const t = numericColumn(table, table.names[0]!);
  const f = numericColumn(table, table.names[1]!);
  const rows = t.length;
  const finite = dropNonFinite({ timeDays: Float64Array.from(t), flux: Float64Array.from(f) });
  if (finite.timeDays.length === 0) throw new ValueError(`${source}: no rows with finite time and flux (${rows} rows read)`);
  const lc = sortAndMerge(finite);
  return { ...lc, rows, droppedNaN: rows - finite.timeDays.length };
}

/**
 * Parse a two-column text light curve (column 1: time in days, column 2: flux) from its text.
 * Rows with NaN/Inf are dropped and counted (`droppedNaN`); unsorted rows are sorted and
 * exactly repeated time stamps merged (`sorted`, `mergedDuplicates`), so a real file is never
 * refused for them. Fewer than two columns or non-numeric cells throw `FormatError`; a file
 * with no finite row throws `ValueError`.
 */
export function parseTextLightCurve(text: string, source = 'text light curve'): TextLightCurve {
  return fromTable(parseText(text, { header: 'auto' }), source);
}

/** Read a two-column text light curve file (Node). See {@link parseTextLightCurve}. */
export async function readTextLightCurve(path: string): Promise<TextLightCurve> {
  let table: TextTable;
  try {
    table = await readText(path, { header: 'auto' });
  } catch (e) {
    throw namedReadError(e, path, 'lightcurve-text');
  }
  if (table.names.length === 0 || Object.values(table.columns)[0]?.length === 0)
    throw new FormatError('lightcurve-text', `${path}: no data rows (empty file?)`);
  try {
    return fromTable(table, path);
  } catch (e) {
    throw namedReadError(e, path, 'lightcurve-text');
  }
}

/**
 * Turn a failure to read `path` into a typed error whose one-line message names the file:
 * a missing file, a directory or an unreadable file → `FileError`; an `@astro` error from a
 * parser → the same class of error with the file name in front (when not already there).
 */
export function namedReadError(e: unknown, path: string, format: string): Error {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new FileError(path, 'no such file or directory', { cause: e });
  if (code === 'EISDIR') return new FileError(path, 'is a directory, expected a light-curve file', { cause: e });
  if (code === 'EACCES' || code === 'EPERM') return new FileError(path, 'permission denied', { cause: e });
  if (e instanceof AstroError) {
    if (e.message.includes(path)) return e;
    if (e instanceof FormatError)
      return new FormatError(e.format, `${path}: ${e.message.replace(new RegExp(`^${e.format}: `), '')}`, { cause: e });
    if (e instanceof ValueError) return new ValueError(`${path}: ${e.message}`);
    if (e instanceof ShapeError) return new ShapeError(`${path}: ${e.message}`);
    return new FormatError(format, `${path}: ${e.message}`, { cause: e });
  }
  if (e instanceof Error) return new FormatError(format, `${path}: ${e.message}`, { cause: e });
  return new FormatError(format, `${path}: ${String(e)}`);
}
