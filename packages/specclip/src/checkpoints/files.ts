import { parseSafetensors } from '@astro/core/io';
import { encodeModel, decodeModel, saveModel, readFileChecked, type ModelFiles } from '@astro/core/train';
import {
  LEGACY_SPECCLIP_KINDS,
  SPECCLIP_KINDS,
  SPECCLIP_SCHEMA_VERSION,
  buildFromConfig,
  modelConfig,
  type SpecclipModel,
  type SpecclipModelName,
  type SpecclipModels,
} from './configs.js';
import { SpecClip } from '../align/spec-clip.js';

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
  files = withCurrentKind(files);
  const model = decodeModel(files, { kind: SPECCLIP_KINDS[name], schemaVersion: SPECCLIP_SCHEMA_VERSION, build: (c) => buildFromConfig(c) })
    .model as SpecclipModels[N];
  if (model instanceof SpecClip && model.logLogitScale) {
    // what logitScale() reports, taken from the stored float32 value (no readback from the backend)
    const t = parseSafetensors(files.weights, { names: ['logit_scale'] }).tensors['logit_scale'];
    if (t) model.noteLogLogitScale(Number(t.data[0]));
  }
  return model;
}

/** Save a model as a directory with `config.json` and `model.safetensors` (Node). */
export async function saveSpecclipModel(dir: string, model: SpecclipModel, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
  await saveModel(dir, model, modelConfig(model, opts.labelUnits));
}

/**
 * Load a directory written by {@link saveSpecclipModel} as class `name` (Node); see
 * {@link decodeSpecclipModel}. A missing folder or file is a `FileError` naming the path.
 */
export async function loadSpecclipModel<N extends SpecclipModelName>(dir: string, name: N): Promise<SpecclipModels[N]> {
  const path = await import('node:path');
  await readFileChecked(dir, 'dir');
  const config = new TextDecoder().decode(await readFileChecked(path.join(dir, 'config.json'), 'file'));
  const weights = await readFileChecked(path.join(dir, 'model.safetensors'), 'file');
  return decodeSpecclipModel({ config, weights }, name);
}

/** A config.json with a legacy `specclip.*` kind rewritten to its `@astro/specclip/<Model>` kind. */
function withCurrentKind(files: ModelFiles): ModelFiles {
  const m = /"kind"\s*:\s*"(specclip\.[a-z-]+)"/.exec(files.config);
  const now = m ? LEGACY_SPECCLIP_KINDS[m[1]!] : undefined;
  return now ? { ...files, config: files.config.replace(m![0], `"kind": "${now}"`) } : files;
}
