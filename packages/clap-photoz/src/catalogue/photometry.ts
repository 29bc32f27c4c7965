import { FormatError, ValueError } from '@astro/core';
import { parseText } from '@astro/core/io';

/** SDSS band names in the column order of the catalogue files. */
export const BANDS = ['u', 'g', 'r', 'i', 'z'] as const;

/** A photometric catalogue: n galaxies × 5 bands (u g r i z), row-major. */
export interface Photometry {
  /** Number of galaxies. */
  n: number;
  /** AB magnitudes, n × 5 row-major. */
  mag: Float64Array;
  /** 1σ magnitude errors (mag), n × 5 row-major, all > 0. */
  magErr: Float64Array;
  /** Spectroscopic redshifts (length n), or undefined when the file has only 10 columns. */
  zSpec?: Float64Array;
  /** Row numbers (0-based, in the file) of the galaxies kept. */
  rows: Int32Array;
  /** Row numbers dropped because of a missing magnitude (only with `onMissing: 'drop'`). */
  dropped: Int32Array;
}

/** Options of {@link parsePhotometry}. */
export interface PhotometryOptions {
  /**
   * What to do with a galaxy whose magnitude is missing — NaN, ±Inf or a sentinel with
   * |m| ≥ 90 (SDSS/ANNz use 99 and −99): `'error'` (default) throws {@link ValueError} naming
   * the row and band; `'drop'` removes the galaxy and lists it in `dropped`.
   */
  onMissing?: 'error' | 'drop';
}

/** True when a magnitude is a missing value: NaN, ±Inf or a ±99-style sentinel (|m| ≥ 90). */
export function isMissingMag(m: number): boolean {
  return !Number.isFinite(m) || Math.abs(m) >= 90;
}

/**
 * Parse the ANNz/SDSS 11-column whitespace photometry format: `u g r i z σu σg σr σi σz z_spec`
 * (the z_spec column may be absent: 10 columns). Lines starting with `#` are comments.
 *
 * @throws {FormatError} if a row has a number of columns other than 10 or 11, or a field is not numeric.
 * @throws {ValueError} on a missing magnitude (unless `onMissing: 'drop'`), an error ≤ 0 or
 *   non-finite, or a non-finite or negative redshift — each naming the 1-based line.
 */
export function parsePhotometry(text: string | Uint8Array, opts: PhotometryOptions = {}): Photometry {
  const t = parseText(text, { delimiter: 'whitespace', header: false, comment: '#' });
  const ncol = t.names.length;
  if (ncol !== 10 && ncol !== 11) {
    throw new FormatError('photometry', `expected 10 or 11 columns (u g r i z, 5 errors[, z_spec]), got ${ncol}`);
  }
  const cols = t.names.map((name) => {
    const c = t.columns[name];
    if (!(c instanceof Float64Array)) throw new FormatError('photometry', `column ${name} is not numeric`);
    return c;
  });
  return photometryFromColumns(cols.slice(0, 5), cols.slice(5, 10), cols[10], t.rows, opts);
}

/**
 * Build a catalogue from per-band columns (5 magnitude columns, 5 error columns, optional z_spec),
 * with the checks of {@link parsePhotometry}: missing magnitudes (NaN, ±Inf, |m| ≥ 90) throw or are
 * dropped, errors must be finite and > 0, z_spec finite and ≥ 0 — each naming the 1-based row.
 */
export function photometryFromColumns(
  mags: readonly ArrayLike<number | bigint>[],
  errs: readonly ArrayLike<number | bigint>[],
  zCol: ArrayLike<number | bigint> | undefined,
  n0: number,
  opts: PhotometryOptions = {},
): Photometry {
  const onMissing = opts.onMissing ?? 'error';
  if (mags.length !== 5 || errs.length !== 5)
    throw new FormatError('photometry', `need 5 magnitude and 5 error columns, got ${mags.length} and ${errs.length}`);
  const mag = new Float64Array(n0 * 5);
  const magErr = new Float64Array(n0 * 5);
  const z = zCol ? new Float64Array(n0) : undefined;
  const rows: number[] = [];
  const dropped: number[] = [];
  let n = 0;
  for (let r = 0; r < n0; r++) {
    let missing = false;
    for (let b = 0; b < 5; b++) {
      const m = Number(mags[b]![r]);
      if (isMissingMag(m)) {
        if (onMissing === 'error') {
          throw new ValueError(
            `photometry: row ${r + 1}: ${BANDS[b]} magnitude is missing (${m}); pass onMissing: 'drop' to skip such galaxies`,
          );
        }
        missing = true;
      }
    }
    if (missing) {
      dropped.push(r);
      continue;
    }
    for (let b = 0; b < 5; b++) {
      const e = Number(errs[b]![r]);
      if (!(e > 0) || !Number.isFinite(e)) {
        throw new ValueError(`photometry: row ${r + 1}: ${BANDS[b]} error must be finite and > 0, got ${e}`);
      }
      mag[n * 5 + b] = Number(mags[b]![r]);
      magErr[n * 5 + b] = e;
    }
    if (z) {
      const zs = Number(zCol![r]);
      if (!Number.isFinite(zs) || zs < 0) throw new ValueError(`photometry: row ${r + 1}: z_spec must be finite and ≥ 0, got ${zs}`);
      z[n] = zs;
    }
    rows.push(r);
    n++;
  }
  const out: Photometry = {
    n,
    mag: mag.slice(0, n * 5),
    magErr: magErr.slice(0, n * 5),
    rows: Int32Array.from(rows),
    dropped: Int32Array.from(dropped),
  };
  if (z) out.zSpec = z.slice(0, n);
  return out;
}
