/** Package version. */
export const VERSION = '0.1.0';
export * from './regression/index.js';
export * from './logistic/index.js';
export * from './sampling/index.js';
export * from './mcmc/index.js';
export * from './gp/index.js';
export * from './pca/index.js';
export * from './cluster/index.js';
export * from './nn/index.js';
