import { ShapeError } from '@astro/core';
import type { LabelDomain } from '../labels/domain.js';
import { spectraDataset, type SpectraDataset } from '../training/dataset.js';
import { readNpyFloat } from './npy.js';

/** Label names and units of the Korg grids: Teff (K), log g (dex, cgs), [Fe/H] (dex). */
export const KORG_LABELS = { names: ['teff', 'logg', 'feh'] as const, units: ['K', 'dex', 'dex'] as const };

/**
 * Load a Korg + MARCS synthetic grid folder (`parameters.npy` [N, 3], `normalized_flux.npy`
 * [N, P], `wavelength.npy` [P] in Å), e.g. `korg-irregular-flux/` or `korg-regular-flux/`.
 */
export async function loadKorgGrid(dir: string): Promise<SpectraDataset> {
  const path = await import('node:path');
  const [p, f, w] = await Promise.all(
    ['parameters.npy', 'normalized_flux.npy', 'wavelength.npy'].map((n) => readNpyFloat(path.join(dir, n))),
  );
  if (p!.shape.length !== 2 || p!.shape[1] !== 3) throw new ShapeError(`parameters.npy must be [N, 3], got [${p!.shape}]`);
  if (f!.shape.length !== 2 || f!.shape[0] !== p!.shape[0]) {
    throw new ShapeError(`normalized_flux.npy [${f!.shape}] does not match parameters.npy [${p!.shape}]`);
  }
  return spectraDataset(p!.data, f!.data, p!.shape[0]!, w!.data);
}

/** The bounding box of a dataset's labels, with names and units. */
export function datasetDomain(ds: SpectraDataset, names: readonly string[], units: readonly string[]): LabelDomain {
  const k = ds.numLabels;
  const min = new Float64Array(k).fill(Infinity);
  const max = new Float64Array(k).fill(-Infinity);
  for (let r = 0; r < ds.rows; r++) {
    for (let c = 0; c < k; c++) {
      const v = ds.labels[r * k + c]!;
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
  }
  return { names: [...names], units: [...units], min, max };
}
