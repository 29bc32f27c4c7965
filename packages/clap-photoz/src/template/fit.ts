import { FormatError, SchemaError, ValueError } from '@astro/core';
import { numberArray, numberField, objectField } from '../persist/check.js';
import type { Photometry } from '../catalogue/photometry.js';
import type { ClapPrediction } from '../clap/model.js';
import { pointEstimates } from '../metrics/point.js';
import { median } from '../metrics/quantile.js';
import { assertOnGrid, gridMax, gridZ, normalizePdfs, zGrid, type ZGrid } from '../pdf/grid.js';
import { bandTable, mixedBandFlux } from '../sed/band-table.js';
import type { Filter, Sed } from '../sed/spectra.js';
import { fitRedshiftPrior, logPrior, type RedshiftPrior } from './prior.js';

/** Options of {@link TemplateFitPhotoz}. */
export interface TemplateFitConfig {
  /** Redshift grid of the PDFs (default 0 to 0.8 by 0.0025). */
  grid: ZGrid;
  /** Templates interpolated between each neighbouring pair (BPZ's INTERP; default 2 → 16 types from 6). */
  interp: number;
  /** Error added in quadrature to every magnitude error (mag, default 0.05, chosen on the SDSS validation set among 0.03, 0.05, 0.08): template mismatch, like BPZ's minimum error. */
  errorFloor: number;
  /** Type class of each base template (BPZ: 0 early, 1 spiral, 2 irregular/starburst); default for El, Sbc, Scd, Im, SB3, SB2. */
  classes: number[];
}

/** What {@link TemplateFitPhotoz.fit} learns from a training set (JSON-serialisable). */
export interface TemplateFitCalibration {
  /** Per-band zero-point offsets (mag) subtracted from observed magnitudes. */
  zeroPoints: number[];
  /** Redshift prior of each type class. */
  priors: RedshiftPrior[];
  /** Prior probability of each type class. */
  classFractions: number[];
}

const LN10_25 = Math.LN10 / 2.5;

/** `kind` of a saved {@link TemplateFitPhotoz}. */
export const TEMPLATE_FIT_KIND = '@astro/clap-photoz/TemplateFitPhotoz';

/** The JSON form of a {@link TemplateFitPhotoz}. */
export interface TemplateFitJson {
  kind: typeof TEMPLATE_FIT_KIND;
  schemaVersion: 1;
  /** Names of the templates it was built with, in order. */
  templates: string[];
  config: TemplateFitConfig;
  calibration?: TemplateFitCalibration;
}

/**
 * A BPZ-like template-fitting baseline (Benítez 2000): for each galaxy, χ²(z, T) of the observed
 * fluxes against every (interpolated) template T at every grid redshift with the amplitude A
 * free (minimised analytically, A = Σ fF/σ² / Σ F²/σ²); PDF p(z) ∝ Σ_T P(class_T)·p(z | class_T, m_r)·exp(−χ²/2).
 * `fit` calibrates on a training set with z_spec: per-band zero points (median magnitude residual at
 * z_spec) and, per type class, the magnitude-dependent redshift prior of {@link RedshiftPrior} by maximum
 * likelihood over the galaxies whose best template at z_spec is of that class. Unfitted, the prior is flat.
 */
export class TemplateFitPhotoz {
  readonly config: TemplateFitConfig;
  calibration: TemplateFitCalibration | undefined;
  /** Model band fluxes [type][grid point][band], relative to each base template's rest-frame r flux. */
  private readonly model: Float64Array;
  private readonly types: number;
  private readonly typeClass: Int32Array;
  private readonly nb: number;
  private readonly templateNames: string[];

  constructor(templates: Sed[], filters: Filter[], config: Partial<TemplateFitConfig> = {}) {
    this.config = {
      grid: config.grid ?? zGrid(0, 0.8, 0.0025),
      interp: config.interp ?? 2,
      errorFloor: config.errorFloor ?? 0.05,
      classes: config.classes ?? [0, 1, 1, 2, 2, 2],
    };
    const { grid, interp, classes } = this.config;
    if (templates.length < 1 || classes.length !== templates.length)
      throw new ValueError(`TemplateFitPhotoz: ${templates.length} templates but ${classes.length} classes`);
    if (!Number.isInteger(interp) || interp < 0)
      throw new ValueError(`TemplateFitPhotoz: interp must be a non-negative integer, got ${interp}`);
    if (grid.zMin < 0) throw new ValueError('TemplateFitPhotoz: the grid must start at z ≥ 0');
    this.templateNames = templates.map((t) => t.name);
    const tab = bandTable(templates, filters, gridMax(grid) + 0.002);
    this.nb = filters.length;
    this.types = (templates.length - 1) * (interp + 1) + 1;
    this.typeClass = new Int32Array(this.types);
    this.model = new Float64Array(this.types * grid.n * this.nb);
    const f = new Float64Array(this.nb);
    for (let t = 0; t < this.types; t++) {
      const tau = t / (interp + 1);
      this.typeClass[t] = classes[Math.round(tau)]!;
      for (let j = 0; j < grid.n; j++) {
        mixedBandFlux(tab, tau, gridZ(grid, j), f);
        this.model.set(f, (t * grid.n + j) * this.nb);
      }
    }
  }

  /** χ²(z_j, T) of galaxy i for every type and grid points j0 ≤ j < j1 (amplitude free), into `out` [types × grid.n]. */
  private chi2(cat: Photometry, i: number, zp: number[], out: Float64Array, j0 = 0, j1 = this.config.grid.n): void {
    const { nb } = this;
    const G = this.config.grid.n;
    const fl = new Float64Array(nb);
    const iv = new Float64Array(nb);
    let ff = 0;
    for (let b = 0; b < nb; b++) {
      const m = cat.mag[i * 5 + b]! - zp[b]!;
      const s = Math.hypot(cat.magErr[i * 5 + b]!, this.config.errorFloor);
      fl[b] = 10 ** (-0.4 * (m - 20));
      iv[b] = 1 / (LN10_25 * fl[b]! * s) ** 2;
      ff += fl[b]! * fl[b]! * iv[b]!;
    }
    for (let t = 0; t < this.types; t++) {
      for (let j = j0; j < j1; j++) {
        const o = (t * G + j) * nb;
        let fm = 0;
        let mm = 0;
        for (let b = 0; b < nb; b++) {
          const F = this.model[o + b]!;
          fm += fl[b]! * F * iv[b]!;
          mm += F * F * iv[b]!;
        }
        out[t * G + j] = ff - (fm * fm) / mm;
      }
    }
  }

  /**
   * Calibrate zero points and priors on a catalogue with z_spec (two passes: zero points from
   * the best templates at z_spec, then again with the corrected magnitudes).
   * @throws {ValueError} without z_spec or with redshifts off the grid.
   */
  fit(train: Photometry): void {
    const z = train.zSpec;
    if (!z) throw new ValueError('TemplateFitPhotoz.fit: the training catalogue has no z_spec column');
    assertOnGrid(this.config.grid, z, 'training z_spec');
    const { grid } = this.config;
    const G = grid.n;
    const nb = this.nb;
    let zp = new Array<number>(nb).fill(0);
    const best = new Int32Array(train.n);
    const chi = new Float64Array(this.types * G);
    for (let pass = 0; pass < 2; pass++) {
      const resid: number[][] = Array.from({ length: nb }, () => []);
      for (let i = 0; i < train.n; i++) {
        const j = Math.min(G - 1, Math.round((z[i]! - grid.zMin) / grid.dz));
        this.chi2(train, i, zp, chi, j, j + 1);
        let bt = 0;
        for (let t = 1; t < this.types; t++) if (chi[t * G + j]! < chi[bt * G + j]!) bt = t;
        best[i] = bt;
        // amplitude at the best type, then magnitude residuals per band
        const o = (bt * G + j) * nb;
        let fm = 0;
        let mm = 0;
        for (let b = 0; b < nb; b++) {
          const m = train.mag[i * 5 + b]! - zp[b]!;
          const s = Math.hypot(train.magErr[i * 5 + b]!, this.config.errorFloor);
          const f = 10 ** (-0.4 * (m - 20));
          const w = 1 / (LN10_25 * f * s) ** 2;
          fm += f * this.model[o + b]! * w;
          mm += this.model[o + b]! ** 2 * w;
        }
        const A = fm / mm;
        for (let b = 0; b < nb; b++) resid[b]!.push(train.mag[i * 5 + b]! - (20 - 2.5 * Math.log10(A * this.model[o + b]!)));
      }
      zp = resid.map((r) => median(r));
    }
    const nClass = Math.max(...this.config.classes) + 1;
    const priors: RedshiftPrior[] = [];
    const classFractions: number[] = [];
    for (let c = 0; c < nClass; c++) {
      const zs: number[] = [];
      const ms: number[] = [];
      for (let i = 0; i < train.n; i++) {
        if (this.typeClass[best[i]!] === c && z[i]! > 0) {
          zs.push(z[i]!);
          ms.push(train.mag[i * 5 + 2]!);
        }
      }
      classFractions.push((zs.length + 1) / (train.n + nClass));
      priors.push(
        zs.length >= 10
          ? fitRedshiftPrior(zs, ms)
          : fitRedshiftPrior(
              z.filter((v) => v > 0),
              Array.from({ length: train.n }, (_, i) => train.mag[i * 5 + 2]!).filter((_, i) => z[i]! > 0),
            ),
      );
    }
    this.calibration = { zeroPoints: zp, priors, classFractions };
  }

  /** The configuration, template names and calibration as JSON (the templates and filters themselves are data files). */
  toJSON(): TemplateFitJson {
    return {
      kind: TEMPLATE_FIT_KIND,
      schemaVersion: 1,
      templates: [...this.templateNames],
      config: this.config,
      ...(this.calibration ? { calibration: this.calibration } : {}),
    };
  }

  /**
   * Rebuild from {@link TemplateFitPhotoz.toJSON} output with the same templates and filters.
   * @throws {SchemaError} on another kind or schema; {@link FormatError} if the templates differ or fields are malformed.
   */
  static fromJSON(json: unknown, templates: Sed[], filters: Filter[]): TemplateFitPhotoz {
    const w = 'template-fit JSON';
    let j = json as Partial<TemplateFitJson> | null;
    if (j && (j.kind as string) === 'TemplateFitPhotoz') j = { ...j, kind: TEMPLATE_FIT_KIND }; // saved before 0.2
    if (j?.kind !== TEMPLATE_FIT_KIND || j.schemaVersion !== 1)
      throw new SchemaError(
        `${w}: expected kind '${TEMPLATE_FIT_KIND}' schemaVersion 1, got '${String(j?.kind)}' ${String(j?.schemaVersion)}`,
      );
    const names = templates.map((t) => t.name);
    if (!Array.isArray(j.templates) || j.templates.join() !== names.join())
      throw new FormatError(w, `fitted with templates [${String(j.templates)}], given [${names.join(', ')}]`);
    const c = objectField(j, 'config', w);
    const g = objectField(c, 'grid', w);
    const tf = new TemplateFitPhotoz(templates, filters, {
      grid: { zMin: numberField(g, 'zMin', w), dz: numberField(g, 'dz', w), n: numberField(g, 'n', w) },
      interp: numberField(c, 'interp', w),
      errorFloor: numberField(c, 'errorFloor', w),
      classes: numberArray(c['classes'], "'classes'", w, templates.length),
    });
    if (j.calibration !== undefined) {
      const cal = objectField(j, 'calibration', w);
      const nClass = Math.max(...tf.config.classes) + 1;
      const priors = cal['priors'];
      if (!Array.isArray(priors) || priors.length !== nClass) throw new FormatError(w, `'priors' must hold ${nClass} priors`);
      tf.calibration = {
        zeroPoints: numberArray(cal['zeroPoints'], "'zeroPoints'", w, filters.length),
        classFractions: numberArray(cal['classFractions'], "'classFractions'", w, nClass),
        priors: priors.map((p: unknown) => {
          const o = p as Record<string, unknown>;
          return {
            alpha: numberField(o, 'alpha', w),
            z0: numberField(o, 'z0', w),
            km: numberField(o, 'km', w),
            mRef: numberField(o, 'mRef', w),
          };
        }),
      };
    }
    return tf;
  }

  /** PDFs of a catalogue on the grid with mean/mode/median (flat prior and no zero points until fitted). */
  predict(cat: Photometry): ClapPrediction {
    const { grid } = this.config;
    const G = grid.n;
    const cal = this.calibration;
    const zp = cal?.zeroPoints ?? new Array<number>(this.nb).fill(0);
    const chi = new Float64Array(this.types * G);
    const lp = new Float64Array(this.types * G);
    const p = new Float64Array(cat.n * G);
    const nClass = Math.max(...this.config.classes) + 1;
    const nPerClass = new Int32Array(nClass);
    for (let t = 0; t < this.types; t++) nPerClass[this.typeClass[t]!]!++;
    // ln P(class) + ln p(z_j | class, m_r) per class and grid point (z = 0 evaluated at dz/2)
    const lpc = new Float64Array(nClass * G);
    for (let i = 0; i < cat.n; i++) {
      this.chi2(cat, i, zp, chi);
      const m0 = cat.mag[i * 5 + 2]! - zp[2]!;
      if (cal) {
        for (let c = 0; c < nClass; c++) {
          const lt = Math.log(cal.classFractions[c]! / nPerClass[c]!);
          for (let j = 0; j < G; j++) lpc[c * G + j] = lt + logPrior(cal.priors[c]!, Math.max(gridZ(grid, j), 0.5 * grid.dz), m0);
        }
      }
      let mx = -Infinity;
      for (let t = 0; t < this.types; t++) {
        const c = this.typeClass[t]!;
        for (let j = 0; j < G; j++) {
          const v = -0.5 * chi[t * G + j]! + lpc[c * G + j]!;
          lp[t * G + j] = v;
          if (v > mx) mx = v;
        }
      }
      for (let t = 0; t < this.types; t++) for (let j = 0; j < G; j++) p[i * G + j]! += Math.exp(lp[t * G + j]! - mx);
    }
    const pdfs = normalizePdfs(grid, p);
    return { pdfs, summary: pointEstimates(pdfs) };
  }
}
