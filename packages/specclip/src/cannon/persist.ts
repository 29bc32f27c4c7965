import { FormatError, SchemaError, ShapeError } from '@astro/core';
import { encodeSafetensors, parseSafetensors, type SafetensorsTensor } from '@astro/core/io';
import { checkModelConfig, parseModelConfig, readFileChecked, writeFileAtomic, type ModelFiles } from '@astro/core/train';
import { QuadraticCannon } from './quadratic-cannon.js';

/** `kind` of a saved {@link QuadraticCannon} (`@astro/<package>/<Model>`). */
export const CANNON_KIND = '@astro/specclip/QuadraticCannon';
/** The kind written before the house naming scheme; still read. */
const LEGACY_CANNON_KIND = 'specclip.quadratic-cannon';
/** Schema version of a saved {@link QuadraticCannon}. */
export const CANNON_SCHEMA_VERSION = 1;

/**
 * A fitted {@link QuadraticCannon} as two files (browser-safe): `config.json` (kind, schemaVersion,
 * label count, pixels, label pivots and scales with `labelUnits`) and `model.safetensors` holding
 * float64 `theta` [pixels, terms], `scatter` [pixels] and `starts` [n, labels] (scaled training labels).
 * @throws {SchemaError} when the model has not been fitted.
 */
export function encodeCannon(model: QuadraticCannon, opts: { labelUnits?: string | string[] } = {}): ModelFiles {
  if (!model.fitted) throw new SchemaError('encodeCannon: the model has not been fitted');
  const config = {
    kind: CANNON_KIND,
    schemaVersion: CANNON_SCHEMA_VERSION,
    hyperParameters: { labels: model.labelCount, pixels: model.pixels, terms: model.terms, fitScatter: model.fitScatter },
    scalings: {
      labels: { unit: opts.labelUnits ?? 'label units', type: 'standard', mean: Array.from(model.pivot), std: Array.from(model.scale) },
    },
  };
  const weights = encodeSafetensors(
    {
      theta: { shape: [model.pixels, model.terms], data: model.theta },
      scatter: { shape: [model.pixels], data: model.scatter },
      starts: { shape: [model.starts.length / model.labelCount, model.labelCount], data: model.starts },
    },
    { metadata: { kind: CANNON_KIND, schemaVersion: String(CANNON_SCHEMA_VERSION) } },
  );
  return { config: `${JSON.stringify(config, null, 2)}\n`, weights };
}

function f64(t: SafetensorsTensor | undefined, name: string, shape: number[]): Float64Array {
  if (!t) throw new FormatError('safetensors', `missing tensor '${name}'`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => shape[i]! >= 0 && d !== shape[i])) {
    throw new ShapeError(
      `decodeCannon: '${name}' has shape [${t.shape.join(', ')}], expected [${shape.map((d) => (d < 0 ? 'n' : d)).join(', ')}]`,
    );
  }
  return Float64Array.from(t.data as ArrayLike<number>);
}

/**
 * Rebuild a {@link QuadraticCannon} from {@link encodeCannon}'s files. @throws {SchemaError} for
 * another kind or schema version; {@link FormatError} for corrupt bytes or missing tensors;
 * {@link ShapeError} for tensors that disagree with the config.
 */
export function decodeCannon(files: ModelFiles): QuadraticCannon {
  const config = parseModelConfig(files.config);
  checkModelConfig(config, {
    kind: config.kind === LEGACY_CANNON_KIND ? LEGACY_CANNON_KIND : CANNON_KIND,
    schemaVersion: CANNON_SCHEMA_VERSION,
  });
  const h = (config.hyperParameters ?? {}) as Record<string, unknown>;
  const L = h['labels'];
  const P = h['pixels'];
  if (typeof L !== 'number' || typeof P !== 'number')
    throw new SchemaError('config.json: hyperParameters.labels and .pixels must be numbers');
  const model = new QuadraticCannon({ labels: L, pixels: P, fitScatter: h['fitScatter'] !== false });
  const sc = config.scalings?.['labels'] as { mean?: unknown; std?: unknown } | undefined;
  const mean = sc?.mean;
  const std = sc?.std;
  if (!Array.isArray(mean) || !Array.isArray(std) || mean.length !== L || std.length !== L)
    throw new SchemaError(`config.json: scalings.labels needs mean and std of ${L} numbers`);
  const file = parseSafetensors(files.weights);
  model.pivot = Float64Array.from(mean as number[]);
  model.scale = Float64Array.from(std as number[]);
  model.theta = f64(file.tensors['theta'], 'theta', [P, model.terms]);
  model.scatter = f64(file.tensors['scatter'], 'scatter', [P]);
  model.starts = f64(file.tensors['starts'], 'starts', [-1, L]);
  return model;
}

/**
 * Save a fitted Cannon as a directory with config.json and model.safetensors (Node). Each file is
 * written atomically (temporary sibling, then rename; weights first), with a `FileError` naming the
 * path when the folder cannot be written.
 */
export async function saveCannon(dir: string, model: QuadraticCannon, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
  const files = encodeCannon(model, opts);
  const path = await import('node:path');
  await writeFileAtomic(path.join(dir, 'model.safetensors'), files.weights);
  await writeFileAtomic(path.join(dir, 'config.json'), files.config);
}

/**
 * Load a directory written by {@link saveCannon} (Node); see {@link decodeCannon}. A missing folder or
 * file is a `FileError` naming the path (never a raw ENOENT).
 */
export async function loadCannon(dir: string): Promise<QuadraticCannon> {
  const path = await import('node:path');
  await readFileChecked(dir, 'dir');
  const config = new TextDecoder().decode(await readFileChecked(path.join(dir, 'config.json'), 'file'));
  const weights = await readFileChecked(path.join(dir, 'model.safetensors'), 'file');
  return decodeCannon({ config, weights });
}
