import { ShapeError, ValueError } from '@astro/core';
import { Rng } from '@astro/core';
import { angularDiameterDistanceMpc, DEFAULT_COSMOLOGY, type Cosmology } from '../sed/cosmology.js';
import type { SimulatedCatalogue } from '../sed/simulate.js';
import { convolvePadded, psfKernel, type Psf } from './psf.js';
import { renderSersic } from './sersic.js';
import { medianSizeKpc } from './sizes.js';

/** Multi-band image cutouts: n × size × size × bands (NHWC, row-major), pixels in nanomaggies. */
export interface Cutouts {
  n: number;
  /** Cutout side (px). */
  size: number;
  /** Bands per pixel (5: u g r i z). */
  bands: number;
  /** Observed images (noise added), nanomaggies per pixel (1 nmgy ↔ AB mag 22.5). */
  images: Float32Array;
  /** Per galaxy and band, the Gaussian sky noise σ per pixel (nmgy), n × bands. */
  skySigma: Float64Array;
  /** Per galaxy: Sérsic index, major-axis r_e (arcsec), axis ratio, position angle (rad). */
  sersicN: Float64Array;
  reArcsec: Float64Array;
  q: Float64Array;
  paRad: Float64Array;
  /** Noise-free images (only with `noiseFree: true`). */
  clean?: Float32Array;
}

/** Options of {@link simulateCutouts}. */
export interface CutoutOptions {
  /** Cutout side in pixels (default 32). */
  size?: number;
  /** Pixel scale (arcsec/px; default 0.396, SDSS). */
  pixelScaleArcsec?: number;
  /** PSF (default Moffat β = 3 with FWHM 1.4″, the SDSS median r-band seeing). */
  psf?: { kind: 'gaussian' | 'moffat'; fwhmArcsec: number; beta?: number };
  /** Log-normal scatter of r_e about the size–luminosity relation (dex; default 0.15). */
  sizeScatterDex?: number;
  seed?: number;
  cosmology?: Cosmology;
  /** Also return the noise-free images (default false). */
  noiseFree?: boolean;
}

/** AB magnitude → flux in nanomaggies, 10^{−0.4(m − 22.5)}. */
export function magToNanomaggies(mag: number): number {
  return 10 ** (-0.4 * (mag - 22.5));
}

/**
 * Render ugriz cutouts of the galaxies of a simulated catalogue (the image path's embedded default).
 * Per galaxy: Sérsic index n = 4 − 3·min(τ, 1) from the template type τ (El → de Vaucouleurs, spirals
 * and starbursts → exponential discs); physical r_e from the Shen et al. (2003) size–luminosity
 * relations with log-normal scatter, turned into arcsec through the angular-diameter distance
 * (θ_e = r_e / D_A, so galaxies shrink with redshift until D_A turns over); axis ratio q ~ U(0.6, 1)
 * for n ≥ 2.5 and U(0.2, 1) for discs; position angle ~ U(0, π); centre jittered by ±0.5 px. The
 * unit-flux profile is convolved with the PSF and scaled by the band flux of the noise-free AB
 * magnitudes. Sky noise is Gaussian with σ_pix = σ_F/√A_eff per band, where σ_F = F·ln10/2.5·σ_m
 * (σ_m the catalogue's magnitude error) and A_eff = 1/Σ p_i² the effective area of the normalised
 * profile p — so the optimal (profile-weighted) flux estimate from the cutout has error σ_F.
 * @throws {ShapeError} if the catalogue arrays disagree; {@link ValueError} on bad options.
 */
export function simulateCutouts(cat: SimulatedCatalogue, opts: CutoutOptions = {}): Cutouts {
  const size = opts.size ?? 32;
  const scale = opts.pixelScaleArcsec ?? 0.396;
  const psfOpt = opts.psf ?? { kind: 'moffat', fwhmArcsec: 1.4, beta: 3 };
  const scatter = opts.sizeScatterDex ?? 0.15;
  const cosmo = opts.cosmology ?? DEFAULT_COSMOLOGY;
  if (!(Number.isInteger(size) && size >= 8)) throw new ValueError(`simulateCutouts: size must be an integer ≥ 8, got ${size}`);
  if (!(scale > 0) || !(psfOpt.fwhmArcsec > 0) || !(scatter >= 0))
    throw new ValueError('simulateCutouts: pixel scale and PSF FWHM must be > 0 and the size scatter ≥ 0');
  const { n } = cat;
  for (const [name, a, len] of [
    ['magTrue', cat.magTrue, 5 * n],
    ['magErr', cat.magErr, 5 * n],
    ['zSpec', cat.zSpec, n],
    ['type', cat.type, n],
    ['absMag', cat.absMag, n],
  ] as const) {
    if (a.length !== len) throw new ShapeError(`simulateCutouts: catalogue ${name} has length ${a.length}, expected ${len}`);
  }
  const psf: Psf = { kind: psfOpt.kind, fwhmPx: psfOpt.fwhmArcsec / scale, ...(psfOpt.beta !== undefined ? { beta: psfOpt.beta } : {}) };
  const { kernel, size: kSize } = psfKernel(psf);
  const h = (kSize - 1) / 2;
  const padded = size + 2 * h;
  const B = 5;
  const rng = new Rng(opts.seed ?? 0);
  const out: Cutouts = {
    n,
    size,
    bands: B,
    images: new Float32Array(n * size * size * B),
    skySigma: new Float64Array(n * B),
    sersicN: new Float64Array(n),
    reArcsec: new Float64Array(n),
    q: new Float64Array(n),
    paRad: new Float64Array(n),
  };
  if (opts.noiseFree) out.clean = new Float32Array(n * size * size * B);
  const npx = size * size;
  for (let g = 0; g < n; g++) {
    const sn = 4 - 3 * Math.min(1, Math.max(0, cat.type[g]!));
    const early = (sn - 1) / 3;
    const reKpc = medianSizeKpc(cat.absMag[g]!, early) * 10 ** (scatter * rng.normal());
    const reArc = (reKpc / 1000 / angularDiameterDistanceMpc(cat.zSpec[g]!, cosmo)) * 206264.806;
    const q = sn >= 2.5 ? 0.6 + 0.4 * rng.uniform() : 0.2 + 0.8 * rng.uniform();
    const pa = Math.PI * rng.uniform();
    const x0 = padded / 2 + (rng.uniform() - 0.5);
    const y0 = padded / 2 + (rng.uniform() - 0.5);
    const profile = convolvePadded(
      renderSersic({ flux: 1, reMajorPx: reArc / scale, n: sn, q, paRad: pa, x0, y0 }, padded, padded, 3),
      padded,
      kernel,
      kSize,
    );
    let p2 = 0;
    let p1 = 0;
    for (let i = 0; i < npx; i++) {
      p2 += profile[i]! ** 2;
      p1 += profile[i]!;
    }
    // A_eff of the profile normalised to unit flux within the cutout
    const aEff = (p1 * p1) / p2;
    out.sersicN[g] = sn;
    out.reArcsec[g] = reArc;
    out.q[g] = q;
    out.paRad[g] = pa;
    for (let b = 0; b < B; b++) {
      const F = magToNanomaggies(cat.magTrue[g * B + b]!);
      const sigF = (F * Math.LN10 * cat.magErr[g * B + b]!) / 2.5;
      const sig = sigF / Math.sqrt(aEff);
      out.skySigma[g * B + b] = sig;
      const base = g * npx * B + b;
      for (let i = 0; i < npx; i++) {
        const v = F * profile[i]!;
        out.images[base + i * B] = v + sig * rng.normal();
        if (out.clean) out.clean[base + i * B] = v;
      }
    }
  }
  return out;
}
