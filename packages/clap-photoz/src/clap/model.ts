import { ValueError } from '@astro/core';
import { fitStandardizer, colourFeatures, N_FEATURES, type Standardizer } from '../catalogue/features.js';
import type { Photometry } from '../catalogue/photometry.js';
import { neighbours } from '../knn/knn-pdf.js';
import { pit } from '../metrics/pit.js';
import { pointEstimates, type PointEstimates } from '../metrics/point.js';
import { assertOnGrid, zGrid, type PdfSet, type ZGrid } from '../pdf/grid.js';
import { adaptiveKnnPdfs, DEFAULT_ADAPTIVE, trainingPits, type AdaptiveKnnOptions } from './adaptive-knn.js';
import { ClapEncoder, DEFAULT_ENCODER, encode, trainEncoder, type EncoderConfig } from './encoder.js';
import { harmonicEnsemble } from './ensemble.js';
import { fitRecalibration, recalibratePdfs, type PitRecalibration } from './recalibrate.js';

/** Configuration of a {@link ClapPhotoz} model. */
export interface ClapConfig {
  encoder: EncoderConfig;
  adaptive: AdaptiveKnnOptions;
  /** Redshift grid of the PDFs: [zMin, zMax] with spacing dz (default 0 to 0.8 by 0.0025). */
  grid: ZGrid;
  /** Number of realisations (independently seeded encoders) combined by harmonic mean (default 3). */
  realisations: number;
}

/** Options of {@link ClapPhotoz.fit}. */
export interface ClapFitOptions {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  onProgress?: (msg: string) => void;
  signal?: AbortSignal;
}

/** PDFs on the grid and their point summaries. */
export interface ClapPrediction {
  pdfs: PdfSet;
  summary: PointEstimates;
}

interface Realisation {
  encoder: ClapEncoder;
  latent: Float32Array;
  trainPits: Float64Array[];
  recal: PitRecalibration;
}

/**
 * CLAP photometric-redshift PDFs (Zhou et al. 2024, "CLAP I: resolving miscalibration for deep
 * learning-based galaxy photometric redshift estimation"): per realisation a supervised
 * contrastive encoder, adaptive KNN in its latent space and a PIT recalibration; realisations
 * combined by harmonic mean and recalibrated once more. Constructing never trains.
 */
export class ClapPhotoz {
  readonly config: ClapConfig;
  private reals: Realisation[] = [];
  private std: Standardizer | undefined;
  private zTrain: Float64Array | undefined;
  private finalRecal: PitRecalibration | undefined;

  constructor(config: Partial<ClapConfig> = {}) {
    this.config = {
      encoder: { ...DEFAULT_ENCODER, ...config.encoder },
      adaptive: { ...DEFAULT_ADAPTIVE, ...config.adaptive },
      grid: config.grid ?? zGrid(0, 0.8, 0.0025),
      realisations: config.realisations ?? 3,
    };
  }

  private get searchK(): number {
    return Math.max(this.config.adaptive.window, ...this.config.adaptive.kGrid);
  }

  /**
   * Train on a catalogue with spectroscopic redshifts.
   * @throws {ValueError} if the catalogue has no z_spec or a redshift is off the grid.
   */
  async fit(train: Photometry, opts: ClapFitOptions = {}): Promise<void> {
    const z = train.zSpec;
    if (!z) throw new ValueError('ClapPhotoz.fit: the training catalogue has no z_spec column');
    assertOnGrid(this.config.grid, z, 'training z_spec');
    this.dispose();
    this.std = fitStandardizer(colourFeatures(train), N_FEATURES);
    this.zTrain = z;
    const seed = opts.seed ?? 0;
    const loo: PdfSet[] = [];
    for (let r = 0; r < this.config.realisations; r++) {
      const encoder = new ClapEncoder(this.config.encoder, seed * 1000 + r * 17 + 1);
      const loss = await trainEncoder(encoder, train, z, this.std, {
        epochs: opts.epochs ?? 40,
        batchSize: opts.batchSize ?? 256,
        lr: opts.lr ?? 3e-3,
        seed: seed * 1000 + r,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      opts.onProgress?.(`realisation ${r + 1}/${this.config.realisations}: encoder loss ${loss.toFixed(4)}`);
      const latent = await encode(encoder, train, this.std);
      const d = this.config.encoder.latentDim;
      const nb = await neighbours(latent, latent, d, this.searchK, true);
      const tp = trainingPits(nb, z, this.config.grid, this.config.adaptive);
      const raw = adaptiveKnnPdfs(nb, z, this.config.grid, tp, this.config.adaptive).pdfs;
      const recal = fitRecalibration(pit(raw, z));
      loo.push(recalibratePdfs(raw, recal));
      this.reals.push({ encoder, latent, trainPits: tp, recal });
    }
    this.finalRecal = fitRecalibration(pit(harmonicEnsemble(loo), z));
  }

  /**
   * PDFs of each galaxy of a catalogue on the model's grid, with mean/mode/median.
   * `stage` picks an intermediate result of realisation 0 for diagnostics: `'raw'` adaptive KNN,
   * `'recalibrated'`, or `'ensemble'` (default: the full pipeline).
   */
  async predict(cat: Photometry, stage: 'raw' | 'recalibrated' | 'ensemble' = 'ensemble'): Promise<ClapPrediction> {
    if (!this.std || !this.zTrain || !this.finalRecal || this.reals.length === 0) throw new ValueError('ClapPhotoz.predict: the model is not fitted');
    const d = this.config.encoder.latentDim;
    const sets: PdfSet[] = [];
    for (const r of this.reals) {
      const q = await encode(r.encoder, cat, this.std);
      const nb = await neighbours(q, r.latent, d, this.searchK);
      const raw = adaptiveKnnPdfs(nb, this.zTrain, this.config.grid, r.trainPits, this.config.adaptive).pdfs;
      if (stage === 'raw') return { pdfs: raw, summary: pointEstimates(raw) };
      const cal = recalibratePdfs(raw, r.recal);
      if (stage === 'recalibrated') return { pdfs: cal, summary: pointEstimates(cal) };
      sets.push(cal);
    }
    const pdfs = recalibratePdfs(harmonicEnsemble(sets), this.finalRecal);
    return { pdfs, summary: pointEstimates(pdfs) };
  }

  /** Free the encoders' tensors. */
  dispose(): void {
    for (const r of this.reals) r.encoder.dispose();
    this.reals = [];
  }
}
