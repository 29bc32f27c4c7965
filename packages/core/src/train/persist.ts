import * as tf from '@tensorflow/tfjs-core';
import { FormatError, SchemaError, ValueError } from '../errors/index.js';
import { encodeTensors, parseSafetensors, safetensorsToTensors } from '../io/index.js';
import type { Module } from '../nn/module.js';
import { nodeFs, readFileChecked, writeFileAtomic } from './fs.js';
import { sha256Hex } from './sha256.js';

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
  /** `@astro/<package>/<Model>`, e.g. `'@astro/specclip/SpectrumEncoder'`. */
  kind: string;
  schemaVersion: number;
  hyperParameters?: Record<string, unknown>;
  scalings?: Record<string, Scaling>;
  /**
   * Written by the save functions: size and SHA-256 of each other file of the directory
   * (`{ 'model.safetensors': { bytes, sha256 } }`), checked on load. Older saves without it load
   * unchecked.
   */
  files?: Record<string, FileDigest>;
  [extra: string]: unknown;
}

/** Size and SHA-256 (hex) of one file of a saved-model directory. */
export interface FileDigest {
  bytes: number;
  sha256: string;
}

/**
 * Anything that is not a single `Module`: a config and named tensors (ensembles, latents,
 * fitted arrays). Saved as the same two files as a model.
 */
export interface ModelBundle<C extends ModelConfig = ModelConfig> {
  config: C;
  tensors: Record<string, tf.Tensor>;
}

/** The kind and schema version(s) a loader reads. */
export interface ExpectedKind {
  kind: string;
  /** Schema version this code reads, or a list of accepted versions. */
  schemaVersion: number | readonly number[];
}

/** A model in memory as the two files of a saved-model directory (works in the browser). */
export interface ModelFiles {
  /** `config.json` text. */
  config: string;
  /** `model.safetensors` bytes: PyTorch-style dotted names from `Module.namedParameters()`. */
  weights: Uint8Array;
}

/** What a loader expects: the model kind, the schema version(s) it reads, and a builder. */
export interface LoadModelOptions<M extends Module, C extends ModelConfig> extends ExpectedKind {
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
  const files = c['files'];
  if (files !== undefined) {
    if (files === null || typeof files !== 'object') throw new FormatError('config.json', "'files' must be an object");
    for (const [k, d] of Object.entries(files as Record<string, unknown>)) {
      const dd = d as Partial<FileDigest> | null;
      if (!dd || !Number.isInteger(dd.bytes) || typeof dd.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(dd.sha256)) {
        throw new FormatError('config.json', `'files.${k}' must be { bytes, sha256 } with a 64-digit hex digest`);
      }
    }
  }
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

function configText(config: ModelConfig): string {
  const text = JSON.stringify(
    config,
    (k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) throw new ValueError(`config.json: '${k}' is ${v}, which JSON cannot hold`);
      return v;
    },
    2,
  );
  return `${text}\n`;
}

/**
 * Serialise a {@link ModelBundle} to memory (works in the browser): `model.safetensors` bytes
 * (dotted names, `__metadata__` `{ format: 'pt', kind, schemaVersion }` so PyTorch's
 * `safetensors.torch.load_file` reads it) and `config.json` text recording the weights' size and
 * SHA-256 under `files`.
 */
export async function encodeBundle(bundle: ModelBundle): Promise<ModelFiles> {
  const config = bundle.config;
  checkConfigShape(config);
  const weights = await encodeTensors(bundle.tensors, {
    metadata: { format: 'pt', kind: config.kind, schemaVersion: String(config.schemaVersion) },
  });
  const files = { ...(config.files ?? {}), [MODEL_WEIGHTS_FILE]: { bytes: weights.length, sha256: sha256Hex(weights) } };
  return { config: configText({ ...config, files }), weights };
}

/** Serialise a model to memory: {@link encodeBundle} of its config and `namedParameters()`. */
export async function encodeModel(model: Module, config: ModelConfig): Promise<ModelFiles> {
  checkConfigShape(config);
  return encodeBundle({ config, tensors: Object.fromEntries(model.namedParameters()) });
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

/** Check `bytes` against the digest `config.files[name]` records; {@link FormatError} naming the file on a mismatch. */
function checkDigest(config: ModelConfig, name: string, bytes: Uint8Array, where: string): void {
  const d = config.files?.[name];
  if (!d) return;
  if (bytes.length !== d.bytes) {
    throw new FormatError('safetensors', `${where}: ${bytes.length} bytes but config.json records ${d.bytes} (truncated or replaced?)`);
  }
  const got = sha256Hex(bytes);
  if (got !== d.sha256)
    throw new FormatError('safetensors', `${where}: SHA-256 ${got} does not match config.json's ${d.sha256} (corrupt or replaced)`);
}

/**
 * Decode {@link ModelFiles} into a config and tensors (owned by the caller): the config's kind
 * and schemaVersion are checked ({@link SchemaError}), then the weights' size and SHA-256 and
 * their safetensors structure ({@link FormatError} naming the file).
 */
export function decodeBundle<C extends ModelConfig = ModelConfig>(
  files: ModelFiles,
  expect: ExpectedKind,
  where = MODEL_WEIGHTS_FILE,
): ModelBundle<C> {
  const config = parseModelConfig(files.config) as C;
  checkModelConfig(config, expect);
  checkDigest(config, MODEL_WEIGHTS_FILE, files.weights, where);
  return { config, tensors: safetensorsToTensors(parseSafetensors(files.weights)) };
}

/**
 * Rebuild a model from {@link ModelFiles}: {@link decodeBundle}'s checks, then build the
 * architecture and load the weights strictly (missing, unexpected or mis-shaped tensors:
 * `ShapeError`). Returns the model and its config.
 */
export function decodeModel<M extends Module, C extends ModelConfig = ModelConfig>(
  files: ModelFiles,
  opts: LoadModelOptions<M, C>,
  where = MODEL_WEIGHTS_FILE,
): { model: M; config: C } {
  const { config, tensors } = decodeBundle<C>(files, opts, where);
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

/**
 * Save a bundle as a directory holding `model.safetensors` then `config.json`, each written
 * atomically (temporary file in the same folder, then a rename); `config.json` is written last
 * and records the weights' SHA-256, so a reader never pairs a new config with old weights
 * unnoticed. Creates `dir` if needed. Node only.
 */
export async function saveBundle(dir: string, bundle: ModelBundle): Promise<void> {
  const { path } = nodeFs();
  const files = await encodeBundle(bundle);
  await writeFileAtomic(path.join(dir, MODEL_WEIGHTS_FILE), files.weights);
  await writeFileAtomic(path.join(dir, MODEL_CONFIG_FILE), files.config);
}

/** Save a model (`config` + its `namedParameters()`) as {@link saveBundle} does. Node only. */
export async function saveModel(dir: string, model: Module, config: ModelConfig): Promise<void> {
  checkConfigShape(config);
  await saveBundle(dir, { config, tensors: Object.fromEntries(model.namedParameters()) });
}

async function readModelFiles(dir: string): Promise<{ files: ModelFiles; weightsPath: string }> {
  const { path } = nodeFs();
  const configPath = path.join(dir, MODEL_CONFIG_FILE);
  const weightsPath = path.join(dir, MODEL_WEIGHTS_FILE);
  await readFileChecked(dir, 'dir');
  const config = new TextDecoder().decode(await readFileChecked(configPath, 'file'));
  const weights = await readFileChecked(weightsPath, 'file');
  return { files: { config, weights }, weightsPath };
}

/**
 * Load a directory written by {@link saveBundle}: config and tensors (owned by the caller), with
 * {@link decodeBundle}'s checks. A missing directory or file is a `FileError` naming the path.
 * Node only.
 */
export async function loadBundle<C extends ModelConfig = ModelConfig>(dir: string, expect: ExpectedKind): Promise<ModelBundle<C>> {
  const { files, weightsPath } = await readModelFiles(dir);
  return decodeBundle<C>(files, expect, weightsPath);
}

/** Load a directory written by {@link saveModel}; see {@link decodeModel} for the checks (Node only). */
export async function loadModel<M extends Module, C extends ModelConfig = ModelConfig>(
  dir: string,
  opts: LoadModelOptions<M, C>,
): Promise<{ model: M; config: C }> {
  const { files, weightsPath } = await readModelFiles(dir);
  return decodeModel<M, C>(files, opts, weightsPath);
}
