/** Neural networks in the statistical frame: mixture density networks on `@astro/core`. */
export { MixtureDensityNetwork, mixtureLogPdf, type MdnOptions, type MdnFitOptions, type MixtureParams } from './mdn.js';
export { MLPRegressor, type MLPRegressorOptions, type RegressorPrediction } from './regressor.js';
