import { FormatError } from '@astro/core';
import { tableToArrays, type ColumnArray, type Table } from '@astro/core/data';
import { BANDS, photometryFromColumns, type Photometry, type PhotometryOptions } from './photometry.js';

/**
 * A catalogue from an Arrow table, in either layout:
 * - vector columns `mag` and `mag_err`, `FixedSizeList<Float32|Float64>[5]` (u g r i z, AB mag), or
 * - scalar columns `u g r i z` and `u_err g_err r_err i_err z_err`;
 * plus an optional scalar `z_spec`. Values are checked as {@link parsePhotometry} checks text;
 * a null throws `ValueError` (fill it with a 99 sentinel and use `onMissing: 'drop'` to skip).
 * @throws {FormatError} when neither layout is present or a vector column is not 5 wide.
 */
export function photometryFromArrow(table: Table, opts: PhotometryOptions = {}): Photometry {
  const names = new Set(table.schema.fields.map((f) => f.name));
  const z = names.has('z_spec') ? tableToArrays(table, { columns: ['z_spec'] })['z_spec']!.data : undefined;
  const n = table.numRows;
  if (names.has('mag') && names.has('mag_err')) {
    const cols = tableToArrays(table, { columns: ['mag', 'mag_err'] });
    const split = (c: ColumnArray, what: string): Float64Array[] => {
      if (c.shape.length !== 2 || c.shape[1] !== 5)
        throw new FormatError('photometry table', `'${what}' must be a 5-wide vector column (u g r i z), got shape [${c.shape}]`);
      return BANDS.map((_, b) => Float64Array.from({ length: n }, (_, r) => Number(c.data[r * 5 + b])));
    };
    return photometryFromColumns(split(cols['mag']!, 'mag'), split(cols['mag_err']!, 'mag_err'), z, n, opts);
  }
  const magNames = [...BANDS];
  const errNames = BANDS.map((b) => `${b}_err`);
  const missing = [...magNames, ...errNames].filter((c) => !names.has(c));
  if (missing.length) {
    throw new FormatError(
      'photometry table',
      `needs vector columns 'mag' and 'mag_err', or scalar columns u g r i z and u_err … z_err; missing ${missing.join(', ')}`,
    );
  }
  const cols = tableToArrays(table, { columns: [...magNames, ...errNames] });
  return photometryFromColumns(
    magNames.map((c) => cols[c]!.data),
    errNames.map((c) => cols[c]!.data),
    z,
    n,
    opts,
  );
}
