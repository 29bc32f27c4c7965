/** Principal component analysis: SVD-based (sklearn conventions) and weighted/missing-data EMPCA. */
export { fitPca, svdFlip, type PcaModel, type PcaOptions } from './pca.js';
export { fitWeightedPca, type WeightedPcaModel, type WeightedPcaOptions } from './weighted.js';
