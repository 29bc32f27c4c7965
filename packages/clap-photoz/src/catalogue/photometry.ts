import { FormatError, ValueError } from '@astro/core';
import { parseText, readBytes } from '@astro/core/io';

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
  const onMissing = opts.onMissing ?? 'error';
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
  const n0 = t.rows;
  const mag = new Float64Array(n0 * 5);
  const magErr = new Float64Array(n0 * 5);
  const z = ncol === 11 ? new Float64Array(n0) : undefined;
  const rows: number[] = [];
  const dropped: number[] = [];
  let n = 0;
  for (let r = 0; r < n0; r++) {
    let missing = false;
    for (let b = 0; b < 5; b++) {
      const m = cols[b]![r]!;
      if (isMissingMag(m)) {
        if (onMissing === 'error') {
          throw new ValueError(`photometry: row ${r + 1}: ${BANDS[b]} magnitude is missing (${m}); pass onMissing: 'drop' to skip such galaxies`);
        }
        missing = true;
      }
    }
    if (missing) {
      dropped.push(r);
      continue;
    }
    for (let b = 0; b < 5; b++) {
      const e = cols[5 + b]![r]!;
      if (!(e > 0) || !Number.isFinite(e)) {
        throw new ValueError(`photometry: row ${r + 1}: ${BANDS[b]} error must be finite and > 0, got ${e}`);
      }
      mag[n * 5 + b] = cols[b]![r]!;
      magErr[n * 5 + b] = e;
    }
    if (z) {
      const zs = cols[10]![r]!;
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

/** Read a photometry file (see {@link parsePhotometry}). Node only. */
export async function readPhotometry(path: string, opts: PhotometryOptions = {}): Promise<Photometry> {
  return parsePhotometry(await readBytes(path), opts);
}
