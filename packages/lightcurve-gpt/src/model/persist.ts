/** Function forms of {@link LightCurveGPT.save} / {@link LightCurveGPT.load} (`config.json` + `model.safetensors`). */
import { LightCurveGPT } from './gpt.js';

export { LIGHTCURVE_GPT_KIND, LIGHTCURVE_GPT_SCHEMA } from './gpt.js';

/** Save `model` to `dir`; the same as `model.save(dir)` (Node). */
export async function saveLightCurveGPT(dir: string, model: LightCurveGPT): Promise<void> {
  await model.save(dir);
}

/** Load a saved model; the same as `LightCurveGPT.load(dir)`: a wrong kind or schema throws `SchemaError` (Node). */
export async function loadLightCurveGPT(dir: string): Promise<LightCurveGPT> {
  return LightCurveGPT.load(dir);
}
