import { ValueError } from '@astro/core';
import { bandFnu } from './magnitudes.js';
import type { Filter, Sed } from './spectra.js';

/**
 * Band fluxes of templates on a redshift grid, normalised per template to unit rest-frame flux in
 * one reference band: `flux[(t·nz + iz)·nb + b]` = ⟨f_ν⟩_b(z_iz) / ⟨f_ν⟩_ref(z = 0) for template t,
 * so −2.5 log₁₀ of it is the template's magnitude at z minus its rest-frame reference magnitude.
 */
export interface BandTable {
  templates: string[];
  bands: string[];
  /** Redshifts z_iz = iz·dz, iz = 0…nz−1. */
  dz: number;
  nz: number;
  flux: Float64Array;
}

/** Tabulate {@link BandTable} for templates and filters from z = 0 to zMax by dz (default 0.002; reference band `refBand`, default 2 = r). */
export function bandTable(templates: Sed[], filters: Filter[], zMax: number, dz = 0.002, refBand = 2): BandTable {
  if (!(zMax > 0) || !(dz > 0)) throw new ValueError(`bandTable: need zMax > 0 and dz > 0, got ${zMax}, ${dz}`);
  if (!filters[refBand]) throw new ValueError(`bandTable: reference band ${refBand} is not among ${filters.length} filters`);
  const nz = Math.ceil(zMax / dz - 1e-9) + 1;
  const nb = filters.length;
  const flux = new Float64Array(templates.length * nz * nb);
  templates.forEach((sed, t) => {
    const ref = bandFnu(sed, filters[refBand]!, 0);
    if (!(ref > 0)) throw new ValueError(`bandTable: template ${sed.name} has no rest-frame flux in ${filters[refBand]!.name}`);
    for (let iz = 0; iz < nz; iz++) for (let b = 0; b < nb; b++) flux[(t * nz + iz) * nb + b] = bandFnu(sed, filters[b]!, iz * dz) / ref;
  });
  return { templates: templates.map((s) => s.name), bands: filters.map((f) => f.name), dz, nz, flux };
}

/**
 * Band fluxes (length nb) of continuous type τ ∈ [0, T−1] at redshift z, linear in z between table
 * rows: type τ = t + w mixes templates t and t+1 as (1−w)·f_t + w·f_{t+1}, each normalised to
 * unit rest-frame reference flux (BPZ's template interpolation).
 * @throws {ValueError} outside the table's type or redshift range.
 */
export function mixedBandFlux(tab: BandTable, type: number, z: number, out = new Float64Array(tab.bands.length)): Float64Array {
  const T = tab.templates.length;
  const nb = tab.bands.length;
  if (!(type >= 0 && type <= T - 1)) throw new ValueError(`mixedBandFlux: type ${type} is outside [0, ${T - 1}]`);
  const x = z / tab.dz;
  if (!(x >= 0 && x <= tab.nz - 1)) throw new ValueError(`mixedBandFlux: z = ${z} is outside the table [0, ${(tab.nz - 1) * tab.dz}]`);
  const iz = Math.min(Math.floor(x), tab.nz - 2);
  const fz = x - iz;
  const t0 = Math.min(Math.floor(type), T - 2);
  const w = T === 1 ? 0 : type - t0;
  for (let b = 0; b < nb; b++) {
    let v = 0;
    for (const [t, wt] of [
      [Math.max(t0, 0), 1 - w],
      [t0 + 1, w],
    ] as const) {
      if (wt === 0 || t >= T) continue;
      const o = t * tab.nz;
      v += wt * ((1 - fz) * tab.flux[(o + iz) * nb + b]! + fz * tab.flux[(o + iz + 1) * nb + b]!);
    }
    out[b] = v;
  }
  return out;
}
