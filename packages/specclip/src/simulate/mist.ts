import { ShapeError, ValueError } from '@astro/core';
import { readNpy, toNumberArray } from '@astro/core/io';
import { Rng } from '@astro/core';
import { dataPath } from '@astro/core/data';

/** Stellar labels of MIST v2.5 isochrone points: Teff (K), log g (dex), [Fe/H] (dex), rows aligned. */
export interface MistLabels {
  teffK: Float64Array;
  logg: Float64Array;
  feh: Float64Array;
  /** Number of isochrone points. */
  count: number;
}

/**
 * Read the MIST isochrone table (`mist_isochrones_dev.npy`, 9 columns: log age, initial mass,
 * log Teff, log g, G, BP, RP, EEP, [Fe/H]) and keep Teff = 10^logTeff, log g and [Fe/H].
 * @throws {ShapeError} when the table is not [n, 9].
 */
export async function loadMist(path = dataPath('spectra', 'mist-isochrones', 'mist_isochrones_dev.npy')): Promise<MistLabels> {
  const a = await readNpy(path);
  if (a.shape.length !== 2 || a.shape[1] !== 9) throw new ShapeError(`loadMist: expected [n, 9], got [${a.shape.join(', ')}] in ${path}`);
  const n = a.shape[0]!;
  const v = toNumberArray(a.data);
  const teffK = new Float64Array(n);
  const logg = new Float64Array(n);
  const feh = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    teffK[i] = 10 ** v[i * 9 + 2]!;
    logg[i] = v[i * 9 + 3]!;
    feh[i] = v[i * 9 + 8]!;
  }
  return { teffK, logg, feh, count: n };
}

/** A box in (Teff, log g, [Fe/H]); points outside are not drawn. */
export interface LabelBox {
  teffK: readonly [number, number];
  logg: readonly [number, number];
  feh: readonly [number, number];
}

/**
 * Draw `n` isochrone points uniformly (with replacement, seeded) among those inside `box`,
 * so labels follow MIST's joint Teff–log g–[Fe/H] distribution. Returns row indices.
 * @throws {ValueError} when no point lies inside the box or n < 1.
 */
export function drawMist(mist: MistLabels, n: number, box: LabelBox, seed: number): Int32Array {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`drawMist: n must be a positive integer, got ${n}`);
  const inside: number[] = [];
  for (let i = 0; i < mist.count; i++) {
    const t = mist.teffK[i]!;
    const g = mist.logg[i]!;
    const z = mist.feh[i]!;
    if (t >= box.teffK[0] && t <= box.teffK[1] && g >= box.logg[0] && g <= box.logg[1] && z >= box.feh[0] && z <= box.feh[1])
      inside.push(i);
  }
  if (inside.length === 0) throw new ValueError('drawMist: no MIST point lies inside the label box');
  const rng = new Rng(seed).fork('mist');
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = inside[rng.below(inside.length)]!;
  return out;
}
