import { ShapeError, ValueError, assertFinite } from '@astro/core';

/** Speed of light, km/s. */
export const C_KMS = 299792.458;

/**
 * Linear interpolation of (xp, fp) at x, with xp increasing. Points outside [xp₀, xp_last]
 * get NaN by default (so callers mask them rather than silently extrapolate), or the nearest
 * end value with `outside: 'clamp'`. Float64, O(n + m) for sorted x. NaN queries give NaN.
 * @throws {ShapeError} when xp has fewer than 2 points or fp's length differs from xp's.
 * @throws {ValueError} when xp is not finite and strictly increasing, or fp is not finite.
 */
export function interpLinear(
  x: ArrayLike<number>,
  xp: ArrayLike<number>,
  fp: ArrayLike<number>,
  out = new Float64Array(x.length),
  outside: 'nan' | 'clamp' = 'nan',
): Float64Array {
  const m = xp.length;
  if (m < 2) throw new ShapeError(`interpLinear: xp needs at least 2 points, got ${m}`);
  if (fp.length !== m) throw new ShapeError(`interpLinear: xp has ${m} points but fp has ${fp.length}`);
  if (out.length < x.length) throw new ShapeError(`interpLinear: out has ${out.length} entries for ${x.length} queries`);
  for (let i = 0; i < m; i++) {
    if (!Number.isFinite(xp[i]!) || (i > 0 && !(xp[i]! > xp[i - 1]!)))
      throw new ValueError(`interpLinear: xp must be finite and increasing (xp[${i}] = ${xp[i]})`);
  }
  assertFinite(fp, 'interpLinear: fp');
  let j = 0;
  let lastX = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi < lastX) j = 0; // unsorted query: restart the scan
    lastX = xi;
    if (!(xi >= xp[0]!) || !(xi <= xp[m - 1]!)) {
      out[i] = outside === 'nan' || Number.isNaN(xi) ? NaN : xi < xp[0]! ? fp[0]! : fp[m - 1]!;
      continue;
    }
    while (j < m - 2 && xp[j + 1]! < xi) j++;
    const x0 = xp[j]!;
    const x1 = xp[j + 1]!;
    const t = (xi - x0) / (x1 - x0);
    out[i] = fp[j]! * (1 - t) + fp[j + 1]! * t;
  }
  return out;
}

/**
 * Rest-frame wavelengths seen at observed wavelengths `obsAngstrom` by a source moving with
 * radial velocity `rvKms` (positive = receding): λ_rest = λ_obs / (1 + v/c) (non-relativistic
 * Doppler shift, as The Payne's fitting code).
 */
export function restWavelengths(obsAngstrom: ArrayLike<number>, rvKms: number, out = new Float64Array(obsAngstrom.length)): Float64Array {
  const f = 1 / (1 + rvKms / C_KMS);
  for (let i = 0; i < obsAngstrom.length; i++) out[i] = obsAngstrom[i]! * f;
  return out;
}
