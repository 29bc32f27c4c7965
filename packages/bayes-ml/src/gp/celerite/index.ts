/** celerite-style O(N) Gaussian processes for 1-D series. */
export { CeleriteTerm, CeleriteTermSum, RealTerm, ComplexTerm, SHOTerm, Matern32Term } from './terms.js';
export { CeleriteFactor } from './solver.js';
export { CeleriteGP, type CeleriteComputeOptions } from './gp.js';
