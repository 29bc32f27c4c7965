/** Internal helpers shared by the part-A modules: input coercion and numeric Hessians. */
export * from './dense.js';
export { laplaceCovariance, numericHessian } from './hessian.js';
