/** Logistic regression: binary and multinomial (L2, Newton/L-BFGS) and Bayesian (Laplace + probit). */
export { fitLogisticRegression, type LogisticOptions, type LogisticRegressionModel } from './regression.js';
export { fitBayesianLogistic, type BayesianLogisticModel, type BayesianLogisticOptions } from './laplace.js';
export { sigmoid } from './labels.js';
