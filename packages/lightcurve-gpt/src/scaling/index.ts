export { fitPowerLaw, fitPowerLawWithFloor, type PowerLawFit } from './power-law.js';
export { expectedGaussianHuber, normalCdf, whiteNoiseFloor } from './floor.js';
