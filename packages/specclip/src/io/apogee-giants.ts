import { ShapeError } from '@astro/core';
import { readNpy, toNumberArray } from '@astro/core/io';
import { dataPath } from '@astro/core/data';

/** Real APOGEE red giants with labels (The Cannon's test set), as read by {@link loadApogeeGiants}. */
export interface ApogeeGiants {
  n: number;
  pixels: number;
  /** [n, 3] row-major: Teff (K), log g (dex, cgs), [M/H] (dex). */
  labels: Float64Array;
  /** Continuum-normalised flux [n, pixels]. */
  flux: Float64Array;
  /** 1σ flux uncertainty [n, pixels] (bad pixels carry large σ). */
  fluxErr: Float64Array;
}

/** Names and units of {@link ApogeeGiants.labels} columns. */
export const APOGEE_GIANT_LABELS = [
  { name: 'Teff', unit: 'K' },
  { name: 'logg', unit: 'dex' },
  { name: '[M/H]', unit: 'dex' },
] as const;

/**
 * Read the 671 APOGEE giants of `../shared/data/spectra/apogee-giants-100px/` (AnniesLasso's
 * Cannon test set: `labels.npy` [n, 3], `flux.npy` and `flux_err.npy` [n, 100]).
 * @throws {ShapeError} when the three arrays disagree in shape. Node only.
 */
export async function loadApogeeGiants(dir = dataPath('spectra', 'apogee-giants-100px')): Promise<ApogeeGiants> {
  const [l, f, e] = await Promise.all(['labels', 'flux', 'flux_err'].map((n) => readNpy(`${dir}/${n}.npy`)));
  const [n, three] = l!.shape;
  const [nf, pixels] = f!.shape;
  if (l!.shape.length !== 2 || three !== 3 || f!.shape.length !== 2 || n !== nf || e!.shape.join() !== f!.shape.join()) {
    throw new ShapeError(
      `loadApogeeGiants: labels [${l!.shape}], flux [${f!.shape}], flux_err [${e!.shape}] do not describe n stars × (3 labels, pixels)`,
    );
  }
  return {
    n: n!,
    pixels: pixels!,
    labels: Float64Array.from(toNumberArray(l!.data)),
    flux: Float64Array.from(toNumberArray(f!.data)),
    fluxErr: Float64Array.from(toNumberArray(e!.data)),
  };
}
