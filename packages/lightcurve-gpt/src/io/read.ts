import { readFitsLightCurve } from './fits.js';
import { readTextLightCurve } from './text.js';
import type { LightCurve } from '../lightcurve.js';

/** Read a light curve from a `.fits`/`.fits.gz`/`.fit` file or a two-column text file, chosen by extension (Node). */
export async function readLightCurve(path: string): Promise<LightCurve> {
  return /\.(fits?|fz)(\.gz)?$/i.test(path) ? readFitsLightCurve(path) : readTextLightCurve(path);
}
