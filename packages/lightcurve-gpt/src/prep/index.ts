export { median, robustSigma } from './stats.js';
export { findGaps, splitAtGaps, toRegularGrid, type Gap } from './gaps.js';
export { sigmaClip, type SigmaClipOptions } from './clip.js';
export { normalizePpm, highPassMedian } from './normalize.js';
export {
  binToCadence,
  describeHygiene,
  sortAndMerge,
  type SortedLightCurve,
  type BinToCadenceOptions,
  type GriddedLightCurve,
  type HygieneReport,
} from './hygiene.js';
