import type { Standardizer } from '../catalogue/features.js';
import type { ClapEncoder } from './encoder.js';
import type { PitRecalibration } from './recalibrate.js';
import type { RefitNetwork } from './refit.js';

/** One CLAP realisation: its encoder, the training set in its latent space, and its recalibration. */
export interface ClapRealisation {
  encoder: ClapEncoder;
  /** Training-set latents, n × latentDim row-major (unit vectors). */
  latent: Float32Array;
  /** Leave-one-out PITs of the training set, one array (length n) per k of the adaptive grid. */
  trainPits: Float64Array[];
  /** PIT recalibration of this realisation's adaptive-KNN PDFs. */
  recal: PitRecalibration;
  /** Refit network latent → calibrated PDF (when the model was fitted with `refit`). */
  refit?: RefitNetwork;
}

/** Everything a fitted {@link ClapPhotoz} holds (and saves). */
export interface ClapState {
  /** Standardisation of the 5 photometric features (mag), fitted on the training set. */
  std: Standardizer;
  /** Training spectroscopic redshifts (length n). */
  zTrain: Float64Array;
  realisations: ClapRealisation[];
  /** Recalibration of the harmonic-mean ensemble. */
  ensembleRecal: PitRecalibration;
  /** Recalibration of the refit networks' harmonic-mean ensemble (when fitted with `refit`). */
  refitRecal?: PitRecalibration;
}
