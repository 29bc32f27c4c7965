import { ShapeError, ValueError } from '@astro/core';
import { quadraticLabelVector, quadraticTermCount } from './label-vector.js';
import { fitPixel } from './pixel-fit.js';
import { fitSpectrumLabels, spectrumChi2 } from './infer-labels.js';

/** Training set of {@link QuadraticCannon.fit}: row-major arrays, one row per star. */
export interface CannonTrainingSet {
  /** Labels [n, labels] in physical units (e.g. Teff K, log g dex, [M/H] dex). */
  labels: ArrayLike<number>;
  /** Continuum-normalised flux [n, pixels]; NaN/±Inf pixels are masked. */
  flux: ArrayLike<number>;
  /** 1σ flux uncertainty [n, pixels]; pixels with σ ≤ 0 or non-finite σ are masked. */
  fluxErr: ArrayLike<number>;
}

/** Spectra to label with {@link QuadraticCannon.inferLabels}. */
export interface CannonTestSet {
  flux: ArrayLike<number>;
  fluxErr: ArrayLike<number>;
}

/** Options of {@link QuadraticCannon}. */
export interface QuadraticCannonOptions {
  /** Number of labels L. */
  labels: number;
  /** Pixels per spectrum. */
  pixels: number;
  /** Fit a per-pixel intrinsic scatter s_λ (default true, as The Cannon); false: s = 0. */
  fitScatter?: boolean;
}

/** Labels inferred by {@link QuadraticCannon.inferLabels}, physical units, row-major [n, labels]. */
export interface CannonLabels {
  labels: Float64Array;
  /** Formal 1σ from the χ² curvature, physical units [n, labels]. */
  labelErr: Float64Array;
  /** χ² of each spectrum at its best-fit labels [n]. */
  chi2: Float64Array;
  /** Number of unmasked pixels of each spectrum [n] (χ² has pixels − labels degrees of freedom). */
  pixelsUsed: Int32Array;
}

/**
 * The Cannon with a quadratic-in-labels model (Ness et al. 2015; Casey et al. 2016): each pixel's
 * flux is f_λ(ℓ) = θ_λ · v(ℓ) + noise of variance σ² + s_λ², with v the quadratic label vector of
 * the scaled labels (ℓ − pivot)/scale (pivot, scale = training mean and standard deviation).
 * Training is per-pixel weighted least squares with a maximum-likelihood scatter s_λ; the test step
 * fits each spectrum's labels by Levenberg–Marquardt from the best of the training labels.
 * Float64 throughout.
 *
 * ```ts
 * const cannon = new QuadraticCannon({ labels: 3, pixels: 100 }).fit({ labels, flux, fluxErr });
 * const { labels: fitted } = cannon.inferLabels({ flux: testFlux, fluxErr: testErr });
 * ```
 */
export class QuadraticCannon {
  readonly labelCount: number;
  readonly pixels: number;
  /** Terms of the label vector: 1 + L + L(L+1)/2. */
  readonly terms: number;
  readonly fitScatter: boolean;
  /** Label pivots (training means) [labels]. */
  pivot: Float64Array;
  /** Label scales (training standard deviations) [labels]. */
  scale: Float64Array;
  /** Coefficients θ [pixels, terms] (scaled-label space); empty until fitted. */
  theta: Float64Array;
  /** Intrinsic scatter s_λ per pixel [pixels], flux units. */
  scatter: Float64Array;
  /** Scaled labels of the training set [n, labels]: the starting points of the test step. */
  starts: Float64Array = new Float64Array(0);

  constructor(opts: QuadraticCannonOptions) {
    if (!Number.isInteger(opts.pixels) || opts.pixels < 1)
      throw new ValueError(`QuadraticCannon: pixels must be a positive integer, got ${opts.pixels}`);
    this.labelCount = opts.labels;
    this.terms = quadraticTermCount(opts.labels);
    this.pixels = opts.pixels;
    this.fitScatter = opts.fitScatter ?? true;
    this.pivot = new Float64Array(opts.labels);
    this.scale = new Float64Array(opts.labels).fill(1);
    this.theta = new Float64Array(0);
    this.scatter = new Float64Array(opts.pixels);
  }

  /** Save the fitted model to `dir` (config.json + model.safetensors, atomic writes; Node). */
  async save(dir: string, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
    const { saveCannon } = await import('./persist.js');
    return saveCannon(dir, this, opts);
  }

  /** Load a model saved by {@link QuadraticCannon.save} (checks kind and schemaVersion; Node). */
  static async load(dir: string): Promise<QuadraticCannon> {
    const { loadCannon } = await import('./persist.js');
    return loadCannon(dir);
  }

  /** True once {@link QuadraticCannon.fit} has run. */
  get fitted(): boolean {
    return this.theta.length > 0;
  }

  private rows(what: string, data: ArrayLike<number>, width: number): number {
    if (data.length % width !== 0 || data.length === 0)
      throw new ShapeError(`QuadraticCannon: ${what} has ${data.length} values, not a positive multiple of ${width}`);
    return data.length / width;
  }

  /**
   * Train on labelled spectra. @throws {ShapeError} for mismatched array sizes;
   * {@link ValueError} for non-finite labels, a constant label, or fewer usable stars at a pixel
   * than label-vector terms.
   */
  fit(data: CannonTrainingSet): this {
    const L = this.labelCount;
    const P = this.pixels;
    const K = this.terms;
    const n = this.rows('labels', data.labels, L);
    if (this.rows('flux', data.flux, P) !== n || this.rows('fluxErr', data.fluxErr, P) !== n) {
      throw new ShapeError(
        `QuadraticCannon.fit: ${n} label rows but ${data.flux.length / P} flux and ${data.fluxErr.length / P} fluxErr rows of ${P} pixels`,
      );
    }
    for (let i = 0; i < n * L; i++)
      if (!Number.isFinite(data.labels[i]!))
        throw new ValueError(`QuadraticCannon.fit: label ${i % L} of star ${Math.floor(i / L)} is ${data.labels[i]}`);
    for (let j = 0; j < L; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += data.labels[i * L + j]! / n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (data.labels[i * L + j]! - m) ** 2 / n;
      if (!(v > 0)) throw new ValueError(`QuadraticCannon.fit: label ${j} is constant over the training set`);
      this.pivot[j] = m;
      this.scale[j] = Math.sqrt(v);
    }
    const design = new Float64Array(n * K);
    const l = new Float64Array(L);
    this.starts = new Float64Array(n * L);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < L; j++) l[j] = (data.labels[i * L + j]! - this.pivot[j]!) / this.scale[j]!;
      this.starts.set(l, i * L);
      design.set(quadraticLabelVector(l, new Float64Array(K)), i * K);
    }
    const theta = new Float64Array(P * K);
    for (let p = 0; p < P; p++) {
      const rows: number[] = [];
      for (let i = 0; i < n; i++) {
        const f = data.flux[i * P + p]!;
        const e = data.fluxErr[i * P + p]!;
        if (Number.isFinite(f) && Number.isFinite(e) && e > 0) rows.push(i);
      }
      if (rows.length < K)
        throw new ValueError(`QuadraticCannon.fit: pixel ${p} has ${rows.length} usable stars; the quadratic model needs at least ${K}`);
      const a = new Float64Array(rows.length * K);
      const f = new Float64Array(rows.length);
      const v = new Float64Array(rows.length);
      rows.forEach((i, r) => {
        a.set(design.subarray(i * K, (i + 1) * K), r * K);
        f[r] = data.flux[i * P + p]!;
        v[r] = data.fluxErr[i * P + p]! ** 2;
      });
      const fit = fitPixel(a, K, f, v, this.fitScatter);
      theta.set(fit.theta, p * K);
      this.scatter[p] = fit.scatter;
    }
    this.theta = theta;
    return this;
  }

  private checkFitted(what: string): void {
    if (!this.fitted) throw new ValueError(`QuadraticCannon.${what}: the model has not been fitted`);
  }

  /** Model flux [n, pixels] at physical labels [n, labels]. */
  predictFlux(labels: ArrayLike<number>): Float64Array {
    this.checkFitted('predictFlux');
    const L = this.labelCount;
    const P = this.pixels;
    const K = this.terms;
    const n = this.rows('labels', labels, L);
    const out = new Float64Array(n * P);
    const l = new Float64Array(L);
    const v = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < L; j++) l[j] = (labels[i * L + j]! - this.pivot[j]!) / this.scale[j]!;
      quadraticLabelVector(l, v);
      for (let p = 0; p < P; p++) {
        let m = 0;
        for (let a = 0; a < K; a++) m += this.theta[p * K + a]! * v[a]!;
        out[i * P + p] = m;
      }
    }
    return out;
  }

  /**
   * The test step: labels of each spectrum by nonlinear least squares (χ² with variance σ² + s_λ²),
   * started from the training label with the lowest χ². @throws {ShapeError} for wrong sizes;
   * {@link ValueError} before fitting or for a spectrum with fewer unmasked pixels than labels.
   */
  inferLabels(data: CannonTestSet): CannonLabels {
    this.checkFitted('inferLabels');
    const L = this.labelCount;
    const P = this.pixels;
    const K = this.terms;
    const n = this.rows('flux', data.flux, P);
    if (this.rows('fluxErr', data.fluxErr, P) !== n)
      throw new ShapeError(`QuadraticCannon.inferLabels: ${n} flux rows but ${data.fluxErr.length / P} fluxErr rows`);
    const out: CannonLabels = {
      labels: new Float64Array(n * L),
      labelErr: new Float64Array(n * L),
      chi2: new Float64Array(n),
      pixelsUsed: new Int32Array(n),
    };
    const f = new Float64Array(P);
    const w = new Float64Array(P);
    const v = new Float64Array(K);
    const nStarts = this.starts.length / L;
    for (let i = 0; i < n; i++) {
      let used = 0;
      for (let p = 0; p < P; p++) {
        const fl = data.flux[i * P + p]!;
        const e = data.fluxErr[i * P + p]!;
        const ok = Number.isFinite(fl) && Number.isFinite(e) && e > 0;
        f[p] = ok ? fl : 0;
        w[p] = ok ? 1 / (e * e + this.scatter[p]! ** 2) : 0;
        if (ok) used++;
      }
      if (used <= L)
        throw new ValueError(`QuadraticCannon.inferLabels: spectrum ${i} has ${used} unmasked pixels; at least ${L + 1} are needed`);
      let best = 0;
      let bestChi2 = Infinity;
      for (let s = 0; s < nStarts; s++) {
        const c = spectrumChi2(this.theta, K, this.starts.subarray(s * L, (s + 1) * L), f, w, v);
        if (c < bestChi2) {
          bestChi2 = c;
          best = s;
        }
      }
      const r = fitSpectrumLabels(this.theta, K, L, f, w, this.starts.subarray(best * L, (best + 1) * L));
      for (let j = 0; j < L; j++) {
        out.labels[i * L + j] = r.labels[j]! * this.scale[j]! + this.pivot[j]!;
        out.labelErr[i * L + j] = r.labelErr[j]! * this.scale[j]!;
      }
      out.chi2[i] = r.chi2;
      out.pixelsUsed[i] = used;
    }
    return out;
  }
}
