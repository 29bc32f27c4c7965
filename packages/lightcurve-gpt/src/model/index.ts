export { patchify, concatWindows, type PatchWindows, type PatchifyOptions } from './tokens.js';
export { maskedHuber } from './loss.js';
export { LightCurveGPT, embedWindows, type LightCurveGPTConfig } from './gpt.js';
export {
  pretrain,
  nextPatchLoss,
  evaluateNextPatchLoss,
  batchNextPatchLoss,
  windowBatch,
  windowBatches,
  type PretrainOptions,
  type WindowBatch,
} from './pretrain.js';
export { fitRidge, fitRidgeCV, predictRidge, type RidgeHead } from './head.js';
export {
  AstroconformerBaseline,
  ASTROCONFORMER_BASELINE_KIND,
  ASTROCONFORMER_BASELINE_SCHEMA,
  type BaselineConfig,
  type BaselineFitOptions,
  type LabelledWindows,
} from './baseline.js';
export { saveLightCurveGPT, loadLightCurveGPT, LIGHTCURVE_GPT_KIND, LIGHTCURVE_GPT_SCHEMA } from './persist.js';
export { rotaryTables, applyRotary, rotaryCausalAttention, rotaryBlockForward, type RotaryTables } from './rope.js';
export {
  fitNumaxHead,
  predictNumax,
  poolWindowStats,
  type NumaxHead,
  type NumaxHeadEstimate,
  type NumaxTrainingStar,
} from './numax-head.js';
