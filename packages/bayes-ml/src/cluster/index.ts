/** Clustering and density estimation: k-means, Gaussian mixtures (EM), extreme deconvolution. */
export { kMeans, kMeansPlusPlus, type KMeansOptions, type KMeansResult } from './kmeans.js';
export { fitGaussianMixture, type GaussianMixtureModel, type GaussianMixtureOptions, type MixtureInit } from './gmm.js';
export { fitExtremeDeconvolution, type ExtremeDeconvolutionModel, type ExtremeDeconvolutionOptions } from './xd.js';
