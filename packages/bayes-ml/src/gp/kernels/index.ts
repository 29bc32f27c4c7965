/** GP covariance functions with log-hyper-parameter gradients (scikit-learn conventions). */
export { Kernel, SumKernel, ProductKernel, type KernelSpec, type KernelGradient, type Bounds } from './kernel.js';
export { StationaryKernel, RBF, Matern, RationalQuadratic, ExpSineSquared, ConstantKernel } from './stationary.js';
export { WhiteKernel } from './white.js';
export { kernelFromSpec } from './spec.js';
