export { parseTextLightCurve, readTextLightCurve, namedReadError, type TextLightCurve } from './text.js';
export { parseFitsLightCurve, readFitsLightCurve, QUALITY_MASKS, type FitsLightCurveOptions, type FitsLightCurve } from './fits.js';
export { readLightCurve, type ReadLightCurveResult, type ReadLightCurveOptions, type LightCurvePart } from './read.js';
