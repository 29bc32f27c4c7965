export { fitPowerLaw, fitPowerLawWithFloor, type PowerLawFit } from './power-law.js';
