import { FormatError, ShapeError } from '@astro/core';
import { parseFits, readBytes } from '@astro/core/io';

/** A LAMOST DR low-resolution spectrum (one fibre). Bad pixels (ivar = 0 or AND-mask ≠ 0) are NaN in `flux`. */
export interface LamostSpectrum {
  /** Observation id (`OBSID`). */
  obsid: string;
  /** Vacuum wavelength, Å [pixels]. */
  wavelengthAngstrom: Float64Array;
  /** Flux (arbitrary units) [pixels]; NaN where masked. */
  flux: Float32Array;
  /** Inverse variance [pixels]; 0 where masked. */
  ivar: Float32Array;
  /** Number of masked pixels. */
  masked: number;
}

/**
 * Parse a LAMOST low-resolution spectrum FITS file (optionally gzipped): the primary HDU is a
 * [5, pixels] image whose rows are flux, inverse variance, wavelength (Å), AND-mask, OR-mask
 * (header `EXTEN0`). Pixels with ivar ≤ 0, non-finite values or a non-zero AND-mask become NaN.
 * @throws {FormatError} when the primary HDU is not a [5, n] image or the wavelengths do not increase.
 */
export function parseLamostLowRes(bytes: Uint8Array): LamostSpectrum {
  const fits = parseFits(bytes);
  const hdu = fits.hdu(0);
  const img = hdu.image();
  if (img.shape.length !== 2 || img.shape[0] !== 5) {
    throw new FormatError('fits', `LAMOST low-resolution spectrum: expected a [5, pixels] primary image, got [${img.shape.join(', ')}]`);
  }
  const n = img.shape[1]!;
  const d = img.data as ArrayLike<number>;
  const wl = new Float64Array(n);
  const flux = new Float32Array(n);
  const ivar = new Float32Array(n);
  let masked = 0;
  for (let i = 0; i < n; i++) {
    wl[i] = d[2 * n + i]!;
    if (i > 0 && !(wl[i]! > wl[i - 1]!)) throw new FormatError('fits', `LAMOST wavelengths do not increase at pixel ${i}`);
    const f = d[i]!;
    const iv = d[n + i]!;
    const bad = !(iv > 0) || !Number.isFinite(f) || !Number.isFinite(iv) || d[3 * n + i] !== 0;
    flux[i] = bad ? NaN : f;
    ivar[i] = bad ? 0 : iv;
    if (bad) masked++;
  }
  const obsid = hdu.header.get('OBSID');
  return { obsid: obsid === undefined ? '' : String(obsid), wavelengthAngstrom: wl, flux, ivar, masked };
}

/** Read {@link parseLamostLowRes} from a file path. */
export async function readLamostLowRes(path: string): Promise<LamostSpectrum> {
  return parseLamostLowRes(await readBytes(path));
}

/**
 * Linearly interpolate a spectrum onto `gridAngstrom` (increasing). Output pixels outside the
 * observed range, or whose bracketing pixels include a masked (NaN) one, are NaN — masked, never filled.
 * @throws {ShapeError} when wavelength and flux lengths differ or the grid does not increase.
 */
export function resampleToGrid(
  wavelengthAngstrom: ArrayLike<number>,
  flux: ArrayLike<number>,
  gridAngstrom: ArrayLike<number>,
): Float32Array {
  if (wavelengthAngstrom.length !== flux.length) {
    throw new ShapeError(`resampleToGrid: ${wavelengthAngstrom.length} wavelengths but ${flux.length} flux values`);
  }
  const out = new Float32Array(gridAngstrom.length);
  let j = 0;
  const n = wavelengthAngstrom.length;
  for (let k = 0; k < gridAngstrom.length; k++) {
    const x = gridAngstrom[k]!;
    if (k > 0 && !(x > gridAngstrom[k - 1]!)) throw new ShapeError(`resampleToGrid: grid does not increase at ${k}`);
    while (j < n - 2 && wavelengthAngstrom[j + 1]! < x) j++;
    const x0 = wavelengthAngstrom[j]!;
    const x1 = wavelengthAngstrom[j + 1]!;
    if (n < 2 || x < x0 || x > x1) {
      out[k] = NaN;
      continue;
    }
    const t = (x - x0) / (x1 - x0);
    out[k] = (1 - t) * flux[j]! + t * flux[j + 1]!;
  }
  return out;
}

/** A log-uniform wavelength grid of `pixels` points from `startAngstrom` to `endAngstrom` inclusive. */
export function logLambdaGrid(startAngstrom: number, endAngstrom: number, pixels: number): Float64Array {
  const g = new Float64Array(pixels);
  const a = Math.log(startAngstrom);
  const b = Math.log(endAngstrom);
  for (let i = 0; i < pixels; i++) g[i] = Math.exp(a + ((b - a) * i) / (pixels - 1));
  return g;
}
