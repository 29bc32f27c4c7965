import * as tf from '@tensorflow/tfjs-core';
import { FormatError, SchemaError, ValueError } from '../errors/index.js';
import { encodeTensors, parseSafetensors, readBytes, safetensorsToTensors } from '../io/index.js';
import type { Module } from '../nn/module.js';
import { nodeFs, writeFileAtomic } from './fs.js';

/** File names inside a saved-model directory. */
export const MODEL_CONFIG_FILE = 'config.json';
export const MODEL_WEIGHTS_FILE = 'model.safetensors';

/**
 * How a quantity was scaled before it reached the network, with its physical unit, e.g.
 * `{ unit: 'K', type: 'minmax', min: [3000], max: [12000] }` or
 * `{ unit: 'erg s⁻¹ cm⁻² Å⁻¹', type: 'standard', mean: [...], std: [...] }`.
 */
export interface Scaling {
  /** Physical unit of the unscaled values (one string, or one per column). */
  unit: string | string[];
  /** Scaling rule, e.g. `'minmax'`, `'standard'`, `'log10'`. */
  type: string;
  [param: string]: unknown;
}

/**
 * A saved model's `config.json`: `kind` names the model class, `schemaVersion` the layout of
 * this file and of the weights; hyper-parameters rebuild the architecture; scalings (with
 * units) map physical inputs/outputs to and from network space.
 */
export interface ModelConfig {
  kind: string;
  schemaVersion: number;
  hyperParameters?: Record<string, unknown>;
  scalings?: Record<string, Scaling>;
  [extra: string]: unknown;
}

/** A model in memory as the two files of a saved-model directory (works in the browser). */
export interface ModelFiles {
  /** `config.json` text. */
  config: string;
  /** `model.safetensors` bytes: PyTorch-style dotted names from `Module.namedParameters()`. */
  weights: Uint8Array;
}

/** What a loader expects: the model kind, the schema version(s) it reads, and a builder. */
export interface LoadModelOptions<M extends Module, C extends ModelConfig> {
  kind: string;
  /** Schema version this code reads, or a list of accepted versions. */
  schemaVersion: number | readonly number[];
  /** Build an untrained model of the right architecture from the config. */
  build: (config: C) => M;
}

function checkConfigShape(config: unknown): asserts config is ModelConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new FormatError('config.json', 'must hold a JSON object');
  }
  const c = config as Record<string, unknown>;
  if (typeof c['kind'] !== 'string' || c['kind'] === '') throw new SchemaError("config.json has no 'kind' string");
  if (!Number.isInteger(c['schemaVersion'])) throw new SchemaError("config.json has no integer 'schemaVersion'");
  const sc = c['scalings'];
  if (sc !== undefined) {
    if (sc === null || typeof sc !== 'object') throw new FormatError('config.json', "'scalings' must be an object");
    for (const [k, s] of Object.entries(sc as Record<string, unknown>)) {
      const u = (s as { unit?: unknown } | null)?.unit;
      const unitOk = typeof u === 'string' || (Array.isArray(u) && u.every((x) => typeof x === 'string'));
      if (!unitOk) throw new FormatError('config.json', `scaling '${k}' has no 'unit'`);
      if (typeof (s as { type?: unknown }).type !== 'string') throw new FormatError('config.json', `scaling '${k}' has no 'type'`);
    }
  }
}

/**
 * Check a config's `kind` and `schemaVersion` against what a loader reads; throws a
 * {@link SchemaError} that names both.
 */
export function checkModelConfig(config: ModelConfig, expect: { kind: string; schemaVersion: number | readonly number[] }): void {
  if (config.kind !== expect.kind) {
    throw new SchemaError(`saved model is a '${config.kind}', not a '${expect.kind}'`);
  }
  const ok = typeof expect.schemaVersion === 'number' ? [expect.schemaVersion] : expect.schemaVersion;
  if (!ok.includes(config.schemaVersion)) {
    throw new SchemaError(`'${config.kind}' schemaVersion ${config.schemaVersion} cannot be read (this version reads ${ok.join(', ')})`);
  }
}

/**
 * Serialise a model to memory: `config.json` text and `model.safetensors` bytes (float32,
 * dotted names, `__metadata__` `{ format: 'pt', kind, schemaVersion }` so PyTorch's
 * `safetensors.torch.load_file` reads it as a state dict).
 */
export async function encodeModel(model: Module, config: ModelConfig): Promise<ModelFiles> {
  checkConfigShape(config);
  const text = JSON.stringify(config, (k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new ValueError(`config.json: '${k}' is ${v}, which JSON cannot hold`);
    return v;
  }, 2);
  const named = Object.fromEntries(model.namedParameters());
  const weights = await encodeTensors(named, {
    metadata: { format: 'pt', kind: config.kind, schemaVersion: String(config.schemaVersion) },
  });
  return { config: `${text}\n`, weights };
}

/** Parse `config.json` text; a syntax error is a {@link FormatError}. */
export function parseModelConfig(text: string): ModelConfig {
  let c: unknown;
  try {
    c = JSON.parse(text);
  } catch (e) {
    throw new FormatError('config.json', `invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  checkConfigShape(c);
  return c;
}

/**
 * Rebuild a model from {@link ModelFiles}: parse and check the config (kind and
 * schemaVersion: {@link SchemaError}), build the architecture, then load the weights
 * strictly (missing, unexpected or mis-shaped tensors: `ShapeError`; corrupt bytes:
 * {@link FormatError}). Returns the model and its config.
 */
export function decodeModel<M extends Module, C extends ModelConfig = ModelConfig>(
  files: ModelFiles,
  opts: LoadModelOptions<M, C>,
): { model: M; config: C } {
  const config = parseModelConfig(files.config) as C;
  checkModelConfig(config, opts);
  const file = parseSafetensors(files.weights);
  const tensors = safetensorsToTensors(file);
  let model: M | undefined;
  try {
    model = opts.build(config);
    model.loadStateDict(tensors);
    return { model, config };
  } catch (e) {
    model?.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Save a model as a directory holding `config.json` and `model.safetensors` (Node only). */
export async function saveModel(dir: string, model: Module, config: ModelConfig): Promise<void> {
  const { path } = nodeFs();
  const files = await encodeModel(model, config);
  await writeFileAtomic(path.join(dir, MODEL_WEIGHTS_FILE), files.weights);
  await writeFileAtomic(path.join(dir, MODEL_CONFIG_FILE), files.config);
}

/** Load a directory written by {@link saveModel}; see {@link decodeModel} for the checks (Node only). */
export async function loadModel<M extends Module, C extends ModelConfig = ModelConfig>(
  dir: string,
  opts: LoadModelOptions<M, C>,
): Promise<{ model: M; config: C }> {
  const { fs, path } = nodeFs();
  const config = await fs.readFile(path.join(dir, MODEL_CONFIG_FILE), 'utf8');
  const weights = await readBytes(path.join(dir, MODEL_WEIGHTS_FILE));
  return decodeModel({ config, weights }, opts);
}
