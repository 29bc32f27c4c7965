/**
 * The light-curve value type and its validation: strictly increasing, finite times and
 * finite fluxes. Every reader and preprocessing step returns one of these.
 */
import { ShapeError, ValueError } from '@astro/core';

/** A light curve: `timeDays[i]` (days, strictly increasing) and `flux[i]` (same length; units set by the producer). */
export interface LightCurve {
  timeDays: Float64Array;
  flux: Float64Array;
}

/** Seconds in a day. */
export const SECONDS_PER_DAY = 86400;

/**
 * Check that a light curve is usable: equal lengths, at least `minPoints` points, finite
 * values and strictly increasing times. Throws {@link ShapeError} for lengths,
 * {@link ValueError} (naming the index) for NaN/Inf, unsorted or duplicated times.
 */
export function validateLightCurve(lc: LightCurve, what = 'light curve', minPoints = 2): void {
  const { timeDays: t, flux: f } = lc;
  if (t.length !== f.length) throw new ShapeError(`${what}: ${t.length} times but ${f.length} fluxes`);
  if (t.length < minPoints) throw new ShapeError(`${what}: ${t.length} points, need at least ${minPoints}`);
  for (let i = 0; i < t.length; i++) {
    const ti = t[i]!;
    const fi = f[i]!;
    if (!Number.isFinite(ti)) throw new ValueError(`${what}: time[${i}] is ${ti}`);
    if (!Number.isFinite(fi))
      throw new ValueError(`${what}: flux[${i}] is ${fi} (drop or interpolate NaN flux first, e.g. with dropNonFinite)`);
    if (i > 0) {
      const prev = t[i - 1]!;
      if (ti === prev) throw new ValueError(`${what}: duplicated time ${ti} d at indices ${i - 1} and ${i}`);
      if (ti < prev) throw new ValueError(`${what}: times not sorted: time[${i}] = ${ti} d < time[${i - 1}] = ${prev} d`);
    }
  }
}

/** Drop points whose time or flux is NaN/±Inf (Kepler marks bad cadences with NaN flux). Returns a new light curve. */
export function dropNonFinite(lc: LightCurve): LightCurve {
  const n = Math.min(lc.timeDays.length, lc.flux.length);
  if (lc.timeDays.length !== lc.flux.length) throw new ShapeError(`light curve: ${lc.timeDays.length} times but ${lc.flux.length} fluxes`);
  let k = 0;
  const t = new Float64Array(n);
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ti = lc.timeDays[i]!;
    const fi = lc.flux[i]!;
    if (Number.isFinite(ti) && Number.isFinite(fi)) {
      t[k] = ti;
      f[k++] = fi;
    }
  }
  return { timeDays: t.slice(0, k), flux: f.slice(0, k) };
}

/** Median cadence (days) of a light curve: the median of consecutive time differences. */
export function medianCadenceDays(timeDays: Float64Array): number {
  if (timeDays.length < 2) throw new ShapeError(`cadence needs at least 2 times, got ${timeDays.length}`);
  const d = new Float64Array(timeDays.length - 1);
  for (let i = 1; i < timeDays.length; i++) d[i - 1] = timeDays[i]! - timeDays[i - 1]!;
  d.sort();
  return d[Math.floor(d.length / 2)]!;
}
