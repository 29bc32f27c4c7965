/** Save and load a {@link LightCurveGPT} as `config.json` + `model.safetensors` (PyTorch-style names). */
import { loadModel, saveModel } from '@astro/core/train';
import { LightCurveGPT, type LightCurveGPTConfig } from './gpt.js';

/** `kind` written into config.json. */
export const LIGHTCURVE_GPT_KIND = 'astro-ml/lightcurve-gpt';
/** Schema version of the saved config. */
export const LIGHTCURVE_GPT_SCHEMA = 1;

/** Save `model` to `dir` (Node). */
export async function saveLightCurveGPT(dir: string, model: LightCurveGPT): Promise<void> {
  await saveModel(dir, model, { kind: LIGHTCURVE_GPT_KIND, schemaVersion: LIGHTCURVE_GPT_SCHEMA, hyperParameters: { ...model.config } });
}

/** Load a model saved by {@link saveLightCurveGPT}; a wrong kind or schema throws `SchemaError` (Node). */
export async function loadLightCurveGPT(dir: string): Promise<LightCurveGPT> {
  const { model } = await loadModel<LightCurveGPT>(dir, {
    kind: LIGHTCURVE_GPT_KIND,
    schemaVersion: LIGHTCURVE_GPT_SCHEMA,
    build: (c) => new LightCurveGPT(c.hyperParameters as unknown as LightCurveGPTConfig),
  });
  return model;
}
