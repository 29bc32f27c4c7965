/**
 * `@astro/specclip`: spectral foundation encoders, CLIP alignment across instruments,
 * cross-instrument search and downstream heads for stellar spectra (after SpecCLIP).
 *
 * ```ts
 * import { loadPayne, loadMist, simulatePairs } from '@astro/specclip';
 * const pairs = simulatePairs(await loadPayne(), await loadMist(), { n: 256, seed: 1 });
 * ```
 * @packageDocumentation
 */
export { loadPayne, payneFlux, type PayneWeights } from './simulate/payne.js';
export { loadMist, drawMist, type MistLabels, type LabelBox } from './simulate/mist.js';
export { degrade } from './simulate/lowres.js';
export { gaussian, addNoise } from './simulate/noise.js';
export { simulatePairs, type SimulatePairsOptions, type SpectrumPairs } from './simulate/pairs.js';
export { parseLamostLowRes, readLamostLowRes, resampleToGrid, logLambdaGrid, type LamostSpectrum } from './io/lamost.js';
export {
  parseXpContinuous,
  parseXpSampled,
  readXpContinuous,
  readXpSampled,
  xpInput,
  type XpCoefficients,
  type XpSampled,
} from './io/gaia-xp.js';
export { zscore, type ZScored } from './preprocess/zscore.js';
export { patchLayout, patchify, chunkMask, type PatchLayout, type PatchedSpectra } from './encoders/patches.js';
export { maskedReconstructionLoss } from './encoders/masked-loss.js';
export { SpectrumTransformer, type SpectrumTransformerOptions } from './encoders/spectrum-transformer.js';
export { XpAutoencoder, type XpAutoencoderOptions } from './encoders/xp-autoencoder.js';
export { pretrainMasked, pretrainAutoencoder, type PretrainOptions, type MaskedPretrainOptions } from './encoders/pretrain.js';
export { clipLoss, l2Normalize, SPECCLIP_LOGIT_SCALE } from './align/infonce.js';
export { AttentionPooling } from './align/pooling.js';
export {
  SpecClip,
  fitClip,
  type SpecClipOptions,
  type FitClipOptions,
  type ClipLossTerms,
  type SpecClipEmbeddings,
} from './align/spec-clip.js';
export { retrievalAccuracy, type RetrievalScores } from './search/retrieval.js';
export { robustScatter } from './downstream/scatter.js';
export {
  EmbeddingRegressor,
  fitRegressor,
  type EmbeddingRegressorOptions,
  type FitRegressorOptions,
  type LabelPrediction,
} from './downstream/regressor.js';
export { kthNeighbourScore, reconstructionScore } from './downstream/anomaly.js';
export { CrossDecoder, fitCrossDecoder, type CrossDecoderOptions, type FitCrossDecoderOptions } from './align/cross-decoder.js';
export { loadApogeeGiants, APOGEE_GIANT_LABELS, type ApogeeGiants } from './io/apogee-giants.js';
export { kFold, takeRows, type Fold } from './downstream/kfold.js';
export { quadraticTermCount, quadraticLabelVector, quadraticLabelJacobian } from './cannon/label-vector.js';
export { weightedLeastSquares, designOuterProducts, fitPixel, scatterGrid, type PixelFit } from './cannon/pixel-fit.js';
export { fitSpectrumLabels, spectrumChi2, type LabelFit } from './cannon/infer-labels.js';
export {
  QuadraticCannon,
  type QuadraticCannonOptions,
  type CannonTrainingSet,
  type CannonTestSet,
  type CannonLabels,
} from './cannon/quadratic-cannon.js';
export {
  SpectrumLabelModel,
  fitLabelModel,
  type SpectrumLabelModelOptions,
  type FitLabelModelOptions,
} from './downstream/spectrum-label-model.js';
export {
  SPECCLIP_SCHEMA_VERSION,
  SPECCLIP_KINDS,
  modelConfig,
  buildFromConfig,
  modelName,
  type SpecclipModels,
  type SpecclipModelName,
  type SpecclipModel,
} from './checkpoints/configs.js';
export { encodeSpecclipModel, decodeSpecclipModel, saveSpecclipModel, loadSpecclipModel } from './checkpoints/files.js';
export { fromSpecFormerStateDict, readSpecFormer, SPECFORMER_NAME_MAP, type SpecFormerImportOptions } from './checkpoints/specformer.js';
export { encodeCannon, decodeCannon, saveCannon, loadCannon, CANNON_KIND, CANNON_SCHEMA_VERSION } from './cannon/persist.js';
