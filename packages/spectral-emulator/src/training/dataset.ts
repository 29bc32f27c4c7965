import { ShapeError, assertFinite } from '@astro/core';

/** Spectra with their labels, row-aligned: `labels` [rows, k] physical units, `flux` [rows, P]. */
export interface SpectraDataset {
  labels: Float64Array;
  flux: Float32Array;
  rows: number;
  numLabels: number;
  numPixels: number;
  /** Wavelength per pixel, Å. */
  wavelengthAngstrom?: Float64Array;
}

/** Build a {@link SpectraDataset}, checking that shapes agree and every value is finite. */
export function spectraDataset(
  labels: ArrayLike<number>,
  flux: ArrayLike<number>,
  rows: number,
  wavelengthAngstrom?: ArrayLike<number>,
): SpectraDataset {
  if (
    !Number.isInteger(rows) ||
    rows < 1 ||
    labels.length % rows !== 0 ||
    flux.length % rows !== 0 ||
    labels.length === 0 ||
    flux.length === 0
  ) {
    throw new ShapeError(`spectraDataset: ${labels.length} labels and ${flux.length} flux values are not ${rows} rows`);
  }
  const numPixels = flux.length / rows;
  if (wavelengthAngstrom && wavelengthAngstrom.length !== numPixels) {
    throw new ShapeError(`spectraDataset: ${wavelengthAngstrom.length} wavelengths for ${numPixels} pixels`);
  }
  assertFinite(labels, 'labels');
  assertFinite(flux, 'flux');
  return {
    labels: Float64Array.from(labels),
    flux: Float32Array.from(flux),
    rows,
    numLabels: labels.length / rows,
    numPixels,
    ...(wavelengthAngstrom ? { wavelengthAngstrom: Float64Array.from(wavelengthAngstrom) } : {}),
  };
}

/** The rows `idx` of a dataset (copies). */
export function subsetRows(ds: SpectraDataset, idx: readonly number[]): SpectraDataset {
  const k = ds.numLabels;
  const P = ds.numPixels;
  const labels = new Float64Array(idx.length * k);
  const flux = new Float32Array(idx.length * P);
  idx.forEach((r, i) => {
    if (!(r >= 0 && r < ds.rows)) throw new ShapeError(`subsetRows: row ${r} outside [0, ${ds.rows})`);
    labels.set(ds.labels.subarray(r * k, (r + 1) * k), i * k);
    flux.set(ds.flux.subarray(r * P, (r + 1) * P), i * P);
  });
  return { ...ds, labels, flux, rows: idx.length };
}
