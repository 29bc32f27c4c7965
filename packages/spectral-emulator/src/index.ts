/**
 * `@astro/spectral-emulator`: neural emulators of stellar spectra — The Payne (per-pixel and
 * MLP), interop with released emulator bundles, and spectrum fitting with uncertainties.
 *
 * ```ts
 * import { ready } from '@astro/core';
 * import { PaynePixelModel } from '@astro/spectral-emulator';
 * await ready();
 * const payne = await PaynePixelModel.load('../shared/data/spectra/payne-apogee-nn');
 * const flux = await payne.predict([[4800, 2.5, 0, 0.1, 6]]); // [1][7214] normalised flux
 * ```
 * @packageDocumentation
 */
export type { SpectralEmulator, PredictOptions } from './emulator.js';
export { LabelDomainError, checkLabelDomain, type DomainPolicy, type LabelDomain } from './labels/domain.js';
export { MinMaxScaling } from './labels/scaling.js';
export { labelMatrix, labelMatrixAsync, type LabelsInput } from './labels/input.js';
export { PaynePixelModel, PAYNE_APOGEE_LABELS, PAYNE_PIXEL_KIND, type PaynePixelWeights } from './payne/pixel.js';
export { MlpEmulator, MLP_EMULATOR_KIND, createPayne, type MlpEmulatorOptions } from './payne/mlp.js';
export { spectraDataset, subsetRows, type SpectraDataset } from './training/dataset.js';
export {
  trainEmulator,
  fitEmulator,
  type EmulatorFitOptions,
  spectrumLoss,
  type TrainableEmulator,
  type TrainOptions,
  type TrainResult,
  type TrainProgress,
  type SpectrumLoss,
} from './training/train.js';
export { readNpyFloat, type NpyFloat } from './grid/npy.js';
export { loadKorgGrid, datasetDomain, KORG_LABELS } from './grid/korg.js';
export {
  loadBundle,
  verifyBundleFingerprint,
  verifyBundleIntegrity,
  type LoadBundleOptions,
  type FingerprintReport,
} from './bundle/load.js';
export { saveBundle, type SaveBundleOptions } from './bundle/save.js';
export { BUNDLE_FILES, bundleWeightName } from './bundle/layout.js';
export { fitSpectrum, type FitOptions, type SpectrumFit } from './fitting/fit.js';
export type { ObservedSpectrum, SpectrumModelOptions } from './fitting/problem.js';
export { interpLinear, restWavelengths, C_KMS } from './fitting/doppler.js';
export { chebyshevBasis } from './fitting/continuum.js';
export {
  TransformerPayne,
  TRANSFORMER_PAYNE_KIND,
  LEGACY_TRANSFORMER_PAYNE_KIND,
  type TransformerPayneOptions,
} from './transformer/model.js';
export { wavelengthEncoding, type WavelengthEncodingOptions } from './transformer/encoding.js';
export { loadEmulator } from './load.js';
export { fitPowerLaw, type PowerLawFit } from './scaling/power-law.js';
export { scalingSweep, fitScalingLaws, testMse, type ScalingRun, type ScalingSweepOptions, type ScalingLaws } from './scaling/sweep.js';
export { sampleLabels, type SampleLabelsOptions, type LabelPosterior } from './fitting/sample.js';
