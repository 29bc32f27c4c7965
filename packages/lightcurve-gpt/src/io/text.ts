/**
 * Two-column text light curves (time in days, flux), as Kepler/TESS light curves are
 * commonly exported (e.g. pySYD's `*_LC.txt`). Comment lines start with `#`.
 */
import { FormatError } from '@astro/core';
import { numericColumn, parseText, readText, type TextTable } from '@astro/core/io';
import { dropNonFinite, validateLightCurve, type LightCurve } from '../lightcurve.js';

function fromTable(table: TextTable, source: string): LightCurve {
  if (table.names.length < 2) throw new FormatError('lightcurve-text', `${source}: need two columns (time, flux), found ${table.names.length}`);
  const t = numericColumn(table, table.names[0]!);
  const f = numericColumn(table, table.names[1]!);
  const lc = dropNonFinite({ timeDays: Float64Array.from(t), flux: Float64Array.from(f) });
  validateLightCurve(lc, source);
  return lc;
}

/**
 * Parse a two-column text light curve (column 1: time in days, column 2: flux) from its text.
 * Rows with NaN flux are dropped; unsorted or duplicated times throw `ValueError`; fewer
 * than two columns throws `FormatError`.
 */
export function parseTextLightCurve(text: string, source = 'text light curve'): LightCurve {
  return fromTable(parseText(text, { header: 'auto' }), source);
}

/** Read a two-column text light curve file (Node). See {@link parseTextLightCurve}. */
export async function readTextLightCurve(path: string): Promise<LightCurve> {
  return fromTable(await readText(path, { header: 'auto' }), path);
}
