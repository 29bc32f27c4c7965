import { encodeModel, decodeModel, saveModel, loadModel, type ModelFiles } from '@astro/core/train';
import { SPECCLIP_KINDS, SPECCLIP_SCHEMA_VERSION, buildFromConfig, modelConfig, type SpecclipModel, type SpecclipModelName, type SpecclipModels } from './configs.js';

/**
 * A model in memory as its two files (works in the browser): `config.json` ({@link modelConfig}) and
 * `model.safetensors` with PyTorch-style dotted parameter names (`blocks.0.attn.q.weight`, …).
 */
export function encodeSpecclipModel(model: SpecclipModel, opts: { labelUnits?: string | string[] } = {}): Promise<ModelFiles> {
  return encodeModel(model, modelConfig(model, opts.labelUnits));
}

/**
 * Rebuild a model of class `name` from its files: the config's kind and schemaVersion are checked
 * (`SchemaError`), the architecture is rebuilt and the weights are loaded strictly (missing,
 * unexpected or mis-shaped tensors: `ShapeError`; corrupt bytes: `FormatError`).
 */
export function decodeSpecclipModel<N extends SpecclipModelName>(files: ModelFiles, name: N): SpecclipModels[N] {
  return decodeModel(files, { kind: SPECCLIP_KINDS[name], schemaVersion: SPECCLIP_SCHEMA_VERSION, build: (c) => buildFromConfig(c) }).model as SpecclipModels[N];
}

/** Save a model as a directory with `config.json` and `model.safetensors` (Node). */
export async function saveSpecclipModel(dir: string, model: SpecclipModel, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
  await saveModel(dir, model, modelConfig(model, opts.labelUnits));
}

/** Load a directory written by {@link saveSpecclipModel} as class `name` (Node); see {@link decodeSpecclipModel}. */
export async function loadSpecclipModel<N extends SpecclipModelName>(dir: string, name: N): Promise<SpecclipModels[N]> {
  const { model } = await loadModel(dir, { kind: SPECCLIP_KINDS[name], schemaVersion: SPECCLIP_SCHEMA_VERSION, build: (c) => buildFromConfig(c) });
  return model as SpecclipModels[N];
}
