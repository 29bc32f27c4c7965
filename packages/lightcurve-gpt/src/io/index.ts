export { parseTextLightCurve, readTextLightCurve } from './text.js';
export { parseFitsLightCurve, readFitsLightCurve, type FitsLightCurveOptions, type FitsLightCurve } from './fits.js';
export { readLightCurve } from './read.js';
