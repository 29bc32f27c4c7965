/**
 * Gaussian processes in float64: kernels with log-hyper-parameter gradients, exact GP
 * regression with L-BFGS hyper-parameter fits, a celerite-style O(N) GP for 1-D series and
 * GP classification by the Laplace approximation.
 */
export * from './kernels/index.js';
export { type Points, type PointsLike, toPoints } from './points.js';
export { GaussianProcessRegressor, type GPRegressorOptions, type GPPrediction, type LogMarginalLikelihood } from './regressor.js';
export { inverseFromCholesky } from './inverse.js';
export * from './celerite/index.js';
export { GaussianProcessClassifier, type GPClassifierOptions } from './classifier.js';
