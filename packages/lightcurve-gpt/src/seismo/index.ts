export { fftInPlace, nextPow2 } from './fft.js';
export { powerDensity, type PowerSpectrum } from './psd.js';
export { apodization2, backgroundModel, type BackgroundParams } from './background.js';
export { findHarmonicComb, type HarmonicComb } from './harmonics.js';
export {
  estimateNumax,
  NUMAX_DETECTION_THRESHOLD,
  type NumaxOptions,
  type NumaxResult,
  type NumaxDetection,
  type NumaxNonDetection,
  type NumaxCommon,
  type NoDetectionCode,
} from './numax.js';
export {
  simulatePopulationStar,
  populationPlan,
  expectedDetectionStatistic,
  type PopulationStar,
  type PopulationStarOptions,
  type PopulationPlanOptions,
  type Messiness,
} from './population.js';
