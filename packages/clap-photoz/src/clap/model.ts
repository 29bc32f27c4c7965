import { AbortError, Rng, ValueError } from '@astro/core';
import type { FitProgress } from '@astro/core/train';
import { fitStandardizer, colourFeatures, N_FEATURES } from '../catalogue/features.js';
import type { Photometry } from '../catalogue/photometry.js';
import { neighbours } from '../knn/knn-pdf.js';
import { pit } from '../metrics/pit.js';
import { pointEstimates, type PointEstimates } from '../metrics/point.js';
import { assertOnGrid, zGrid, type PdfSet, type ZGrid } from '../pdf/grid.js';
import { decodeClap, encodeClap, readClapFiles, saveClapFiles, type ClapFiles } from '../persist/clap.js';
import { adaptiveKnnPdfs, DEFAULT_ADAPTIVE, trainingPits, type AdaptiveKnnOptions } from './adaptive-knn.js';
import { ClapEncoder, DEFAULT_ENCODER, encode, trainEncoder, type EncoderConfig } from './encoder.js';
import { harmonicEnsemble } from './ensemble.js';
import { fitRecalibration, recalibratePdfs } from './recalibrate.js';
import { DEFAULT_REFIT, refitPdfs, RefitNetwork, trainRefit, type RefitConfig } from './refit.js';
import type { ClapState } from './state.js';

/** Configuration of a {@link ClapPhotoz} model. */
export interface ClapConfig {
  encoder: EncoderConfig;
  adaptive: AdaptiveKnnOptions;
  /** Redshift grid of the PDFs: [zMin, zMax] with spacing dz (default 0 to 0.8 by 0.0025). */
  grid: ZGrid;
  /** Number of realisations (independently seeded encoders) combined by harmonic mean (default 3). */
  realisations: number;
  /** Refit networks latent → calibrated PDF (CLAP's refitting; null = none, the default). */
  refit: RefitConfig | null;
}

/** Options of {@link ClapPhotoz.fit}. */
export interface ClapFitOptions {
  /** Training epochs per realisation (a positive integer, default 40). */
  epochs?: number;
  batchSize?: number;
  lr?: number;
  /** Root seed: each realisation draws from `new Rng(seed).fork('realisation').fork(r)` (default 0). */
  seed?: number;
  /** Core's progress events of every training loop (encoders, then refit networks), in order. */
  onProgress?: (p: FitProgress) => void | Promise<void>;
  /** One line per finished stage (`realisation 1/3: encoder loss 6.0788`). */
  onMessage?: (msg: string) => void;
  /** Aborting rejects with core's `AbortError`; the model stays unfitted. */
  signal?: AbortSignal;
}

/** PDFs on the grid and their point summaries. */
export interface ClapPrediction {
  pdfs: PdfSet;
  summary: PointEstimates;
}

/**
 * CLAP photometric-redshift PDFs (Lin et al. 2024, A&A 691, A331, "CLAP I: resolving miscalibration for deep
 * learning-based galaxy photometric redshift estimation"): per realisation a supervised
 * contrastive encoder, adaptive KNN in its latent space and a PIT recalibration; realisations
 * combined by harmonic mean and recalibrated once more. Constructing never trains.
 */
export class ClapPhotoz {
  readonly config: ClapConfig;
  private state: ClapState | undefined;

  /** `refit: {}` turns on refit networks with {@link DEFAULT_REFIT} settings. */
  /** @throws {ValueError} naming the setting when `realisations`, `adaptive` or `grid` is meaningless (checked here, not after training). */
  constructor(config: Partial<Omit<ClapConfig, 'refit'>> & { refit?: Partial<RefitConfig> | null } = {}) {
    if (config.realisations !== undefined) positiveInt(config.realisations, 'ClapPhotoz: realisations');
    const adaptive = { ...DEFAULT_ADAPTIVE, ...config.adaptive };
    if (!Array.isArray(adaptive.kGrid) || adaptive.kGrid.length === 0)
      throw new ValueError('ClapPhotoz: adaptive.kGrid must list at least one k');
    adaptive.kGrid.forEach((k, i) => positiveInt(k, `ClapPhotoz: adaptive.kGrid[${i}]`));
    positiveInt(adaptive.window, 'ClapPhotoz: adaptive.window');
    if (!(adaptive.bandwidth > 0) || !Number.isFinite(adaptive.bandwidth))
      throw new ValueError(`ClapPhotoz: adaptive.bandwidth must be a finite number > 0, got ${adaptive.bandwidth}`);
    if (config.grid) zGrid(config.grid.zMin, config.grid.zMin + (config.grid.n - 1) * config.grid.dz, config.grid.dz);
    if (config.grid && (!Number.isInteger(config.grid.n) || config.grid.n < 2))
      throw new ValueError(`ClapPhotoz: grid.n must be an integer ≥ 2, got ${config.grid.n}`);
    this.config = {
      encoder: { ...DEFAULT_ENCODER, ...config.encoder },
      adaptive: { ...DEFAULT_ADAPTIVE, ...config.adaptive },
      grid: config.grid ?? zGrid(0, 0.8, 0.0025),
      realisations: config.realisations ?? 3,
      refit: config.refit ? { ...DEFAULT_REFIT, ...config.refit } : null,
    };
  }

  private get searchK(): number {
    return Math.max(this.config.adaptive.window, ...this.config.adaptive.kGrid);
  }

  /** Whether the model has been fitted (or loaded). */
  get fitted(): boolean {
    return this.state !== undefined;
  }

  /** Number of training galaxies (0 before fitting). */
  get trainingSize(): number {
    return this.state?.zTrain.length ?? 0;
  }

  /**
   * Train on a catalogue with spectroscopic redshifts.
   * @throws {ValueError} if the catalogue has no z_spec, a redshift is off the grid, the catalogue has
   *   no more galaxies than the neighbour search needs, or `epochs`/`batchSize`/`lr`/`seed` is meaningless.
   */
  async fit(train: Photometry, opts: ClapFitOptions = {}): Promise<void> {
    if (opts.epochs !== undefined) positiveInt(opts.epochs, 'ClapPhotoz.fit: epochs');
    if (opts.batchSize !== undefined) positiveInt(opts.batchSize, 'ClapPhotoz.fit: batchSize');
    if (opts.lr !== undefined && !(opts.lr > 0 && Number.isFinite(opts.lr)))
      throw new ValueError(`ClapPhotoz.fit: lr must be a finite number > 0, got ${opts.lr}`);
    if (opts.seed !== undefined && !Number.isSafeInteger(opts.seed))
      throw new ValueError(`ClapPhotoz.fit: seed must be an integer, got ${opts.seed}`);
    const z = train.zSpec;
    if (!z) throw new ValueError('ClapPhotoz.fit: the training catalogue has no z_spec column');
    if (!(train.n > this.searchK)) {
      throw new ValueError(
        `ClapPhotoz.fit: ${train.n} training galaxies; the adaptive KNN needs more than ${this.searchK} (max of window and kGrid)`,
      );
    }
    assertOnGrid(this.config.grid, z, 'training z_spec');
    this.dispose();
    const std = fitStandardizer(colourFeatures(train), N_FEATURES);
    const root = new Rng(opts.seed ?? 0);
    if (opts.signal?.aborted) throw new AbortError('ClapPhotoz.fit aborted before training');
    const loo: PdfSet[] = [];
    const refitTrain: PdfSet[] = [];
    const realisations: ClapState['realisations'] = [];
    try {
      for (let r = 0; r < this.config.realisations; r++) {
        const rr = root.fork('realisation').fork(String(r));
        const encoder = new ClapEncoder(this.config.encoder, rr.fork('encoder').fork('init').nextUint32());
        realisations.push({ encoder, latent: new Float32Array(0), trainPits: [], recal: { coeffs: [] } });
        const loss = await trainEncoder(encoder, train, z, std, {
          epochs: opts.epochs ?? 40,
          batchSize: opts.batchSize ?? 256,
          lr: opts.lr ?? 3e-3,
          seed: rr.fork('encoder').fork('train').nextUint32(),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        });
        opts.onMessage?.(`realisation ${r + 1}/${this.config.realisations}: encoder loss ${loss.toFixed(4)}`);
        const latent = await encode(encoder, train, std);
        const d = this.config.encoder.latentDim;
        const nb = await neighbours(latent, latent, d, this.searchK, true);
        const tp = trainingPits(nb, z, this.config.grid, this.config.adaptive);
        const raw = adaptiveKnnPdfs(nb, z, this.config.grid, tp, this.config.adaptive).pdfs;
        const recal = fitRecalibration(pit(raw, z));
        const cal = recalibratePdfs(raw, recal);
        loo.push(cal);
        realisations[r] = { encoder, latent, trainPits: tp, recal };
        if (this.config.refit) {
          const net = new RefitNetwork(d, this.config.refit, rr.fork('refit').fork('init').nextUint32());
          realisations[r]!.refit = net;
          const rl = await trainRefit(net, latent, d, cal, rr.fork('refit').fork('train').nextUint32(), opts.signal);
          opts.onMessage?.(`realisation ${r + 1}/${this.config.realisations}: refit loss ${rl.toFixed(4)}`);
          refitTrain.push(await refitPdfs(net, latent, d, this.config.grid));
        }
      }
    } catch (e) {
      for (const r of realisations) {
        r.encoder.dispose();
        r.refit?.dispose();
      }
      throw e;
    }
    this.state = { std, zTrain: Float64Array.from(z), realisations, ensembleRecal: fitRecalibration(pit(harmonicEnsemble(loo), z)) };
    if (refitTrain.length) this.state.refitRecal = fitRecalibration(pit(harmonicEnsemble(refitTrain), z));
  }

  /**
   * PDFs of each galaxy of a catalogue on the model's grid, with mean/mode/median.
   * `stage` picks an intermediate result of realisation 0 for diagnostics: `'raw'` adaptive KNN,
   * `'recalibrated'`, or `'ensemble'` (default: the full pipeline); `'refit'` is the refit
   * networks' harmonic-mean ensemble, recalibrated (no neighbour search; needs `refit`).
   * @throws {ValueError} if the model is not fitted, or `'refit'` without refit networks.
   */
  async predict(cat: Photometry, stage: 'raw' | 'recalibrated' | 'ensemble' | 'refit' = 'ensemble'): Promise<ClapPrediction> {
    const s = this.state;
    if (!s) throw new ValueError('ClapPhotoz.predict: the model is not fitted');
    if (!(cat.n >= 1)) throw new ValueError('ClapPhotoz.predict: the catalogue has no galaxies');
    const d = this.config.encoder.latentDim;
    const sets: PdfSet[] = [];
    if (stage === 'refit') {
      if (!s.refitRecal) throw new ValueError("ClapPhotoz.predict: stage 'refit' needs a model fitted with the refit option");
      for (const r of s.realisations) sets.push(await refitPdfs(r.refit!, await encode(r.encoder, cat, s.std), d, this.config.grid));
      const pdfs = recalibratePdfs(harmonicEnsemble(sets), s.refitRecal);
      return { pdfs, summary: pointEstimates(pdfs) };
    }
    for (const r of s.realisations) {
      const q = await encode(r.encoder, cat, s.std);
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

  /**
   * The fitted model as in-memory files (browser-safe): `config.json`, `model.safetensors`
   * (encoder weights) and `training.safetensors` (training latents, z_spec, leave-one-out PITs).
   * @throws {ValueError} if the model is not fitted.
   */
  async toFiles(): Promise<ClapFiles> {
    if (!this.state) throw new ValueError('ClapPhotoz.toFiles: the model is not fitted');
    return encodeClap(this.config, this.state);
  }

  /** Rebuild a fitted model from {@link ClapPhotoz.toFiles} output (see {@link decodeClap} for the checks). */
  static fromFiles(files: ClapFiles): ClapPhotoz {
    const { config, state } = decodeClap(files);
    const m = new ClapPhotoz(config);
    m.state = state;
    return m;
  }

  /** Save the fitted model into a directory: `config.json`, `model.safetensors`, `training.safetensors` (Node only). */
  async save(dir: string): Promise<void> {
    await saveClapFiles(dir, await this.toFiles());
  }

  /**
   * Load a model saved by {@link ClapPhotoz.save} (Node only).
   * @throws {FormatError} on a missing or corrupt file; `SchemaError` on a wrong kind or schemaVersion;
   *   `ShapeError` on weights or training tensors of the wrong shape.
   */
  static async load(dir: string): Promise<ClapPhotoz> {
    return ClapPhotoz.fromFiles(await readClapFiles(dir));
  }

  /** Free the encoders' tensors; the model is unfitted afterwards. */
  dispose(): void {
    for (const r of this.state?.realisations ?? []) {
      r.encoder.dispose();
      r.refit?.dispose();
    }
    this.state = undefined;
  }
}

function positiveInt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 1) throw new ValueError(`${what} must be a positive integer, got ${v}`);
}
