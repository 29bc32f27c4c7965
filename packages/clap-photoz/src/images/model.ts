import { AbortError, Rng, ShapeError, ValueError } from '@astro/core';
import { colourFeatures, fitStandardizer, N_FEATURES, standardize, type Standardizer } from '../catalogue/features.js';
import type { Photometry } from '../catalogue/photometry.js';
import { adaptiveKnnPdfs, DEFAULT_ADAPTIVE, trainingPits, type AdaptiveKnnOptions } from '../clap/adaptive-knn.js';
import { harmonicEnsemble } from '../clap/ensemble.js';
import type { ClapFitOptions, ClapPrediction } from '../clap/model.js';
import { fitRecalibration, recalibratePdfs, type PitRecalibration } from '../clap/recalibrate.js';
import { neighbours } from '../knn/knn-pdf.js';
import { pit } from '../metrics/pit.js';
import { pointEstimates } from '../metrics/point.js';
import { assertOnGrid, zGrid, type PdfSet, type ZGrid } from '../pdf/grid.js';
import { decodeClapImages, encodeClapImages, readClapImageFiles, saveClapImageFiles, type ClapImageFiles } from '../persist/clap-images.js';
import { DEFAULT_IMAGE_ENCODER, ImageEncoder, type ImageEncoderConfig } from './encoder.js';
import { checkCutouts, cutoutSoftening, stretchCutouts, type CutoutImages } from './prepare.js';
import { encodeImages, trainImageEncoder } from './train.js';

/** Configuration of a {@link ClapImagePhotoz} model. */
export interface ClapImageConfig {
  encoder: ImageEncoderConfig;
  adaptive: AdaptiveKnnOptions;
  /** Redshift grid of the PDFs (default 0 to 0.8 by 0.0025). */
  grid: ZGrid;
  /** Independently seeded CNN encoders combined by harmonic mean (default 1: CNNs are costly on a CPU). */
  realisations: number;
}

/** One realisation of the image model: its CNN, the training latents, leave-one-out PITs and recalibration. */
export interface ClapImageRealisation {
  encoder: ImageEncoder;
  latent: Float32Array;
  trainPits: Float64Array[];
  recal: PitRecalibration;
}

/** Everything a fitted {@link ClapImagePhotoz} holds (and saves). */
export interface ClapImageState {
  /** Per-band asinh softening (image units), from the training cutouts' sky. */
  softening: number[];
  /** Photometric-feature standardisation (only with `useMagnitudes`). */
  std: Standardizer | null;
  zTrain: Float64Array;
  realisations: ClapImageRealisation[];
  ensembleRecal: PitRecalibration;
}

/**
 * CLAP on multi-band image cutouts (the image path of CLAP I, Lin et al. 2024, A&A 691, A331):
 * per realisation a CNN encoder trained with flip/rotation positive pairs, supervised contrast and
 * the redshift-bin cross-entropy, then exactly the photometric pipeline — adaptive KNN in the
 * latent space, PIT recalibration, harmonic-mean ensemble recalibrated once more. Constructing never trains.
 */
export class ClapImagePhotoz {
  readonly config: ClapImageConfig;
  private state: ClapImageState | undefined;

  constructor(
    config: { encoder?: Partial<ImageEncoderConfig>; adaptive?: Partial<AdaptiveKnnOptions>; grid?: ZGrid; realisations?: number } = {},
  ) {
    this.config = {
      encoder: { ...DEFAULT_IMAGE_ENCODER, ...config.encoder },
      adaptive: { ...DEFAULT_ADAPTIVE, ...config.adaptive },
      grid: config.grid ?? zGrid(0, 0.8, 0.0025),
      realisations: config.realisations ?? 1,
    };
  }

  /** Whether the model has been fitted (or loaded). */
  get fitted(): boolean {
    return this.state !== undefined;
  }

  private get searchK(): number {
    return Math.max(this.config.adaptive.window, ...this.config.adaptive.kGrid);
  }

  private inputs(
    cut: CutoutImages,
    cat: Photometry | undefined,
    softening: number[],
    std: Standardizer | null,
    where: string,
  ): { x: Float32Array; f?: Float32Array } {
    checkCutouts(cut, where);
    if (cut.bands !== this.config.encoder.bands)
      throw new ShapeError(`${where}: cutouts have ${cut.bands} bands, the encoder ${this.config.encoder.bands}`);
    if (cut.size % 4 !== 0) throw new ShapeError(`${where}: the cutout side must be divisible by 4, got ${cut.size}`);
    const x = stretchCutouts(cut, softening);
    if (!this.config.encoder.useMagnitudes) return { x };
    if (!cat || cat.n !== cut.n)
      throw new ShapeError(
        `${where}: an encoder with useMagnitudes needs a catalogue of the same ${cut.n} galaxies, got ${cat ? cat.n : 'none'}`,
      );
    return { x, f: standardize(colourFeatures(cat), std!) };
  }

  /**
   * Train on cutouts with spectroscopic redshifts `cat.zSpec` (the catalogue's galaxies in the same order).
   * @throws {ValueError} without z_spec or with a redshift off the grid; {@link ShapeError} on mismatched inputs.
   */
  async fit(cut: CutoutImages, cat: Photometry, opts: ClapFitOptions = {}): Promise<void> {
    const z = cat.zSpec;
    if (!z) throw new ValueError('ClapImagePhotoz.fit: the training catalogue has no z_spec column');
    if (cat.n !== cut.n) throw new ShapeError(`ClapImagePhotoz.fit: ${cut.n} cutouts but ${cat.n} catalogue rows`);
    assertOnGrid(this.config.grid, z, 'training z_spec');
    checkCutouts(cut, 'ClapImagePhotoz.fit');
    this.dispose();
    const softening = cutoutSoftening(cut);
    const std = this.config.encoder.useMagnitudes ? fitStandardizer(colourFeatures(cat), N_FEATURES) : null;
    const { x, f } = this.inputs(cut, cat, softening, std, 'ClapImagePhotoz.fit');
    const root = new Rng(opts.seed ?? 0);
    if (opts.signal?.aborted) throw new AbortError('ClapImagePhotoz.fit aborted before training');
    const loo: PdfSet[] = [];
    const realisations: ClapImageRealisation[] = [];
    const d = this.config.encoder.latentDim;
    try {
      for (let r = 0; r < this.config.realisations; r++) {
        const rr = root.fork('realisation').fork(String(r));
        const encoder = new ImageEncoder(this.config.encoder, rr.fork('encoder').fork('init').nextUint32());
        realisations.push({ encoder, latent: new Float32Array(0), trainPits: [], recal: { coeffs: [] } });
        const loss = await trainImageEncoder(
          encoder,
          { images: x, size: cut.size, zSpec: Float64Array.from(z), photometry: cat, ...(std ? { std } : {}) },
          {
            epochs: opts.epochs ?? 20,
            batchSize: opts.batchSize ?? 128,
            lr: opts.lr ?? 3e-3,
            seed: rr.fork('encoder').fork('train').nextUint32(),
            ...(opts.signal ? { signal: opts.signal } : {}),
            ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          },
        );
        opts.onMessage?.(`realisation ${r + 1}/${this.config.realisations}: image encoder loss ${loss.toFixed(4)}`);
        const latent = await encodeImages(encoder, x, cut.size, f);
        const nb = await neighbours(latent, latent, d, this.searchK, true);
        const tp = trainingPits(nb, z, this.config.grid, this.config.adaptive);
        const raw = adaptiveKnnPdfs(nb, z, this.config.grid, tp, this.config.adaptive).pdfs;
        const recal = fitRecalibration(pit(raw, z));
        loo.push(recalibratePdfs(raw, recal));
        realisations[r] = { encoder, latent, trainPits: tp, recal };
      }
    } catch (e) {
      for (const r of realisations) r.encoder.dispose();
      throw e;
    }
    this.state = {
      softening,
      std,
      zTrain: Float64Array.from(z),
      realisations,
      ensembleRecal: fitRecalibration(pit(harmonicEnsemble(loo), z)),
    };
  }

  /** Latent vectors of realisation `r` (n × latentDim, unit norm): what the adaptive KNN searches. */
  async latent(cut: CutoutImages, cat?: Photometry, r = 0): Promise<Float32Array> {
    const s = this.requireState('latent');
    const real = s.realisations[r];
    if (!real) throw new ValueError(`ClapImagePhotoz.latent: no realisation ${r}`);
    const { x, f } = this.inputs(cut, cat, s.softening, s.std, 'ClapImagePhotoz.latent');
    return encodeImages(real.encoder, x, cut.size, f);
  }

  /**
   * PDFs on the model's grid with mean/mode/median; `stage` as in `ClapPhotoz.predict` (`'raw'`,
   * `'recalibrated'` of realisation 0, or the full `'ensemble'`, the default).
   * @throws {ValueError} if not fitted; {@link ShapeError} on mismatched inputs.
   */
  async predict(cut: CutoutImages, cat?: Photometry, stage: 'raw' | 'recalibrated' | 'ensemble' = 'ensemble'): Promise<ClapPrediction> {
    const s = this.requireState('predict');
    const { x, f } = this.inputs(cut, cat, s.softening, s.std, 'ClapImagePhotoz.predict');
    const d = this.config.encoder.latentDim;
    const sets: PdfSet[] = [];
    for (const r of s.realisations) {
      const q = await encodeImages(r.encoder, x, cut.size, f);
      const nb = await neighbours(q, r.latent, d, this.searchK);
      const raw = adaptiveKnnPdfs(nb, s.zTrain, this.config.grid, r.trainPits, this.config.adaptive).pdfs;
      if (stage === 'raw') return { pdfs: raw, summary: pointEstimates(raw) };
      const cal = recalibratePdfs(raw, r.recal);
      if (stage === 'recalibrated') return { pdfs: cal, summary: pointEstimates(cal) };
      sets.push(cal);
    }
    const pdfs = recalibratePdfs(harmonicEnsemble(sets), s.ensembleRecal);
    return { pdfs, summary: pointEstimates(pdfs) };
  }

  private requireState(what: string): ClapImageState {
    if (!this.state) throw new ValueError(`ClapImagePhotoz.${what}: the model is not fitted`);
    return this.state;
  }

  /** The fitted model as in-memory files: `config.json`, `model.safetensors` (CNN weights), `training.safetensors`. */
  async toFiles(): Promise<ClapImageFiles> {
    return encodeClapImages(this.config, this.requireState('toFiles'));
  }

  /** Rebuild a fitted model from {@link ClapImagePhotoz.toFiles} output (checks as {@link decodeClapImages}). */
  static fromFiles(files: ClapImageFiles): ClapImagePhotoz {
    const { config, state } = decodeClapImages(files);
    const m = new ClapImagePhotoz(config);
    m.state = state;
    return m;
  }

  /** Save into a directory (Node only). */
  async save(dir: string): Promise<void> {
    await saveClapImageFiles(dir, await this.toFiles());
  }

  /** Load a model saved by {@link ClapImagePhotoz.save} (Node only); `FormatError`/`SchemaError`/`ShapeError` on bad files. */
  static async load(dir: string): Promise<ClapImagePhotoz> {
    return ClapImagePhotoz.fromFiles(await readClapImageFiles(dir));
  }

  /** Free the CNNs' tensors; the model is unfitted afterwards. */
  dispose(): void {
    for (const r of this.state?.realisations ?? []) r.encoder.dispose();
    this.state = undefined;
  }
}
