import { ValueError } from '@astro/core';
import { Rng } from '@astro/core';
import type { Photometry } from '../catalogue/photometry.js';
import { bandTable, mixedBandFlux, type BandTable } from './band-table.js';
import { comovingVolumeElement, DEFAULT_COSMOLOGY, distanceModulus, type Cosmology } from './cosmology.js';
import { SDSS_ERROR_MODEL, type MagErrorModel } from './mag-errors.js';
import type { Filter, Sed } from './spectra.js';

/** Options of {@link simulateCatalogue}. */
export interface SimulationOptions {
  /** Number of galaxies. */
  n: number;
  seed?: number;
  /** Redshift range sampled uniformly in comoving volume (default 0.005–0.6). */
  zMin?: number;
  zMax?: number;
  /** Apparent r-band limit (AB mag) of the noise-free magnitude (default 17.77, the SDSS main galaxy sample). */
  rLimit?: number;
  /** Schechter luminosity function in rest-frame r (AB mag): M* (default −21.2) and faint-end slope α (default −1.05; Blanton et al. 2003 with h = 0.7). */
  mStar?: number;
  alpha?: number;
  /** Absolute-magnitude range sampled (default [−24, −17]). */
  absMagRange?: [number, number];
  /**
   * Relative weights of the type intervals [t, t+1], t = 0…T−2 (type uniform within each). Default
   * [0.75, 0.15, 0.05, 0.03, 0.02]: mostly early types, as in the r < 17.77 SDSS main sample.
   */
  typeWeights?: number[];
  /** Magnitude-error model (default {@link SDSS_ERROR_MODEL}, fitted to real SDSS galaxies). */
  errors?: MagErrorModel;
  cosmology?: Cosmology;
}

/** A simulated catalogue: {@link Photometry} with the true redshift as z_spec, plus the truth. */
export interface SimulatedCatalogue extends Photometry {
  zSpec: Float64Array;
  /** Noise-free AB magnitudes, n × 5. */
  magTrue: Float64Array;
  /** Continuous template type τ ∈ [0, T−1] (0 = El … 5 = SB2; fractional = mixture of neighbours). */
  type: Float64Array;
  /** Rest-frame absolute r magnitude (AB). */
  absMag: Float64Array;
}

function inverseCdf(f: (x: number) => number, lo: number, hi: number, n = 2048): (u: number) => number {
  const xs = new Float64Array(n + 1);
  const cs = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) xs[i] = lo + ((hi - lo) * i) / n;
  for (let i = 1; i <= n; i++) cs[i] = cs[i - 1]! + 0.5 * (f(xs[i - 1]!) + f(xs[i]!)) * (xs[i]! - xs[i - 1]!);
  const tot = cs[n]!;
  return (u: number) => {
    const c = u * tot;
    let a = 0;
    let b = n;
    while (b - a > 1) {
      const m = (a + b) >> 1;
      if (cs[m]! < c) a = m;
      else b = m;
    }
    const t = cs[b]! > cs[a]! ? (c - cs[a]!) / (cs[b]! - cs[a]!) : 0;
    return xs[a]! + t * (xs[b]! - xs[a]!);
  };
}

/**
 * Simulate an SDSS-like galaxy catalogue from SED templates (the embedded simulator):
 * redshift uniform in comoving volume (flat ΛCDM), rest-frame absolute r magnitude from a
 * Schechter function, continuous template type τ ∈ [0, T−1] drawn by `typeWeights` (neighbouring
 * templates mixed), noise-free AB magnitudes m_b = M + μ(z) + 2.5 log₁₀(1+z) − 2.5 log₁₀ F_b(τ, z) with F
 * the template's band flux relative to its rest-frame r flux (K-correction included), kept if
 * m_r ≤ rLimit; then errors σ_b from the error model and observed m_b + σ_b·ε.
 * @param templates SEDs (f_λ), e.g. {@link loadSedTemplates}; filters u g r i z, e.g. {@link loadSdssFilters}.
 * @throws {ValueError} on bad options or if the limit admits almost no galaxy.
 */
export function simulateCatalogue(templates: Sed[], filters: Filter[], opts: SimulationOptions, table?: BandTable): SimulatedCatalogue {
  const { n } = opts;
  const zMin = opts.zMin ?? 0.005;
  const zMax = opts.zMax ?? 0.6;
  const rLimit = opts.rLimit ?? 17.77;
  const mStar = opts.mStar ?? -21.2;
  const alpha = opts.alpha ?? -1.05;
  const [mBright, mFaint] = opts.absMagRange ?? [-24, -17];
  const err = opts.errors ?? SDSS_ERROR_MODEL;
  const cosmo = opts.cosmology ?? DEFAULT_COSMOLOGY;
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`simulateCatalogue: n must be a positive integer, got ${n}`);
  if (!(zMin > 0 && zMax > zMin)) throw new ValueError(`simulateCatalogue: need 0 < zMin < zMax, got ${zMin}, ${zMax}`);
  if (!(mBright < mFaint)) throw new ValueError(`simulateCatalogue: absMagRange must be [bright, faint], got [${mBright}, ${mFaint}]`);
  if (filters.length !== 5) throw new ValueError(`simulateCatalogue: need the 5 filters u g r i z, got ${filters.length}`);
  const tab = table ?? bandTable(templates, filters, zMax);
  const T = tab.templates.length;
  const tw = opts.typeWeights ?? [0.75, 0.15, 0.05, 0.03, 0.02].slice(0, T - 1);
  if (tw.length !== T - 1 || !tw.every((w) => w >= 0) || !(tw.reduce((a, b) => a + b, 0) > 0)) {
    throw new ValueError(`simulateCatalogue: typeWeights must be ${T - 1} non-negative weights, got [${tw.join(', ')}]`);
  }
  const drawType = inverseCdf((t) => tw[Math.min(T - 2, Math.floor(t))]!, 0, T - 1, 64 * (T - 1));
  const drawZ = inverseCdf((z) => comovingVolumeElement(z, cosmo), zMin, zMax);
  const drawM = inverseCdf(
    (m) => {
      const x = 10 ** (0.4 * (mStar - m));
      return x ** (alpha + 1) * Math.exp(-x);
    },
    mBright,
    mFaint,
  );
  const muTab = new Float64Array(1025);
  for (let i = 0; i <= 1024; i++) muTab[i] = distanceModulus(zMin + ((zMax - zMin) * i) / 1024, cosmo);
  const mu = (z: number): number => {
    const x = ((z - zMin) / (zMax - zMin)) * 1024;
    const i = Math.min(1023, Math.floor(x));
    return muTab[i]! + (x - i) * (muTab[i + 1]! - muTab[i]!);
  };
  const rng = new Rng(opts.seed ?? 0);
  const out: SimulatedCatalogue = {
    n,
    mag: new Float64Array(5 * n),
    magErr: new Float64Array(5 * n),
    zSpec: new Float64Array(n),
    rows: Int32Array.from({ length: n }, (_, i) => i),
    dropped: new Int32Array(0),
    magTrue: new Float64Array(5 * n),
    type: new Float64Array(n),
    absMag: new Float64Array(n),
  };
  const f = new Float64Array(5);
  let tries = 0;
  for (let i = 0; i < n;) {
    if (++tries > 2000 * n + 1e5)
      throw new ValueError(`simulateCatalogue: the limit r ≤ ${rLimit} admits almost no galaxy with these options`);
    const z = drawZ(rng.uniform());
    const M = drawM(rng.uniform());
    const type = drawType(rng.uniform());
    mixedBandFlux(tab, type, z, f);
    const base = M + mu(z) + 2.5 * Math.log10(1 + z);
    const r = base - 2.5 * Math.log10(f[2]!);
    if (r > rLimit) continue;
    for (let b = 0; b < 5; b++) {
      const m = base - 2.5 * Math.log10(f[b]!);
      const s = 10 ** (err.a[b]! + err.s[b]! * (m - 18) + err.tau[b]! * rng.normal());
      out.magTrue[i * 5 + b] = m;
      out.magErr[i * 5 + b] = s;
      out.mag[i * 5 + b] = m + s * rng.normal();
    }
    out.zSpec[i] = z;
    out.type[i] = type;
    out.absMag[i] = M;
    i++;
  }
  return out;
}
