/** Linear regression: least squares with errors, Bayesian, Deming/York, Hogg et al. (2010) line fits. */
export { polynomialBasis, gaussianBasis } from './basis.js';
export { fitLeastSquares, linearPredict, type LeastSquaresFit, type LeastSquaresOptions } from './least-squares.js';
export { bayesianLinearRegression, type BayesianLinearFit, type BayesianLinearOptions } from './bayesian.js';
export { demingRegression, yorkFit, type LineFit, type YorkOptions } from './deming.js';
export type { PointsWithErrors } from './data.js';
export { fitLine2d, type Line2dFit, type Line2dOptions } from './hogg-2d.js';
export { fitLineMixture, type LineMixtureFit } from './hogg-mixture.js';
