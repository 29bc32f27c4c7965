import { FormatError, ShapeError } from '@astro/core';
import { encodeSafetensors, parseSafetensors, type SafetensorsInput } from '@astro/core/io';
import { Module, ModuleList } from '@astro/core/nn';
import { decodeModel, encodeModel, MODEL_CONFIG_FILE, MODEL_WEIGHTS_FILE, type ModelConfig } from '@astro/core/train';
import { FEATURE_NAMES, N_FEATURES } from '../catalogue/features.js';
import { DEFAULT_ADAPTIVE } from '../clap/adaptive-knn.js';
import { DEFAULT_IMAGE_ENCODER, ImageEncoder, type ImageEncoderConfig } from '../images/encoder.js';
import type { ClapImageConfig, ClapImageRealisation, ClapImageState } from '../images/model.js';
import { assertOnGrid, zGrid, type ZGrid } from '../pdf/grid.js';
import { numberArray, numberField, objectField } from './check.js';
import { readFileIn, upgradeKind, writeFiles } from './files.js';

/** `kind` of a saved {@link ClapImagePhotoz}. */
export const CLAP_IMAGE_KIND = '@astro/clap-photoz/ClapImagePhotoz';
/** The `kind` models saved before version 0.2 carry; still loaded. */
const LEGACY_CLAP_IMAGE_KIND = 'ClapImagePhotoz';
/** Layout version of a saved image model. */
export const CLAP_IMAGE_SCHEMA_VERSION = 1;
const TRAINING_FILE = 'training.safetensors';

/**
 * A fitted image model as three files: `config.json` (kind, schemaVersion, hyper-parameters, the
 * per-band asinh softening, feature standardisation, recalibration coefficients),
 * `model.safetensors` (CNN weights, `realisations.<r>.conv1.weight` …, PyTorch layout) and
 * `training.safetensors` (`z_spec`, `latent.<r>`, `pits.<r>`).
 */
export interface ClapImageFiles {
  config: string;
  weights: Uint8Array;
  training: Uint8Array;
}

class ImageNetworks extends Module {
  readonly realisations: ModuleList<ImageEncoder>;
  constructor(encoders: ImageEncoder[]) {
    super();
    this.realisations = this.child('realisations', new ModuleList(encoders));
  }
}

/** Serialise a fitted image model. */
export async function encodeClapImages(config: ClapImageConfig, s: ClapImageState): Promise<ClapImageFiles> {
  const n = s.zTrain.length;
  const meta: ModelConfig = {
    kind: CLAP_IMAGE_KIND,
    schemaVersion: CLAP_IMAGE_SCHEMA_VERSION,
    hyperParameters: { encoder: config.encoder, adaptive: config.adaptive, grid: config.grid, realisations: config.realisations },
    scalings: {
      images: {
        unit: 'image units (nanomaggies for simulateCutouts)',
        type: 'asinh',
        form: 'asinh(x / softening[band])',
        softening: s.softening,
      },
      ...(s.std ? { features: { unit: 'mag', type: 'standard', columns: [...FEATURE_NAMES], mean: s.std.mean, std: s.std.std } } : {}),
    },
    recalibration: { realisations: s.realisations.map((r) => r.recal.coeffs), ensemble: s.ensembleRecal.coeffs },
    training: { file: TRAINING_FILE, galaxies: n },
  };
  const files = await encodeModel(new ImageNetworks(s.realisations.map((r) => r.encoder)), meta);
  const d = config.encoder.latentDim;
  const tensors: Record<string, SafetensorsInput> = { z_spec: { shape: [n], data: s.zTrain } };
  s.realisations.forEach((r, i) => {
    tensors[`latent.${i}`] = { shape: [n, d], data: r.latent };
    const pits = new Float64Array(r.trainPits.length * n);
    r.trainPits.forEach((p, k) => pits.set(p, k * n));
    tensors[`pits.${i}`] = { shape: [r.trainPits.length, n], data: pits };
  });
  return {
    ...files,
    training: encodeSafetensors(tensors, { metadata: { kind: CLAP_IMAGE_KIND, schemaVersion: String(CLAP_IMAGE_SCHEMA_VERSION) } }),
  };
}

function readConfig(c: ModelConfig): ClapImageConfig {
  const where = 'config.json';
  const hp = objectField(c, 'hyperParameters', where);
  const e = objectField(hp, 'encoder', where);
  const encoder = { ...DEFAULT_IMAGE_ENCODER };
  for (const k of Object.keys(DEFAULT_IMAGE_ENCODER) as (keyof ImageEncoderConfig)[]) {
    if (k === 'channels') encoder.channels = numberArray(e['channels'], "'encoder.channels'", where, 3) as [number, number, number];
    else if (k === 'useMagnitudes') {
      const u = numberField(e, k, where);
      if (u !== 0 && u !== 1) throw new FormatError(where, `'useMagnitudes' must be 0 or 1, got ${u}`);
      encoder.useMagnitudes = u;
    } else encoder[k] = numberField(e, k, where);
  }
  const a = objectField(hp, 'adaptive', where);
  const g = objectField(hp, 'grid', where);
  const grid: ZGrid = { zMin: numberField(g, 'zMin', where), dz: numberField(g, 'dz', where), n: numberField(g, 'n', where) };
  zGrid(grid.zMin, grid.zMin + (grid.n - 1) * grid.dz, grid.dz);
  const realisations = numberField(hp, 'realisations', where);
  if (!Number.isInteger(realisations) || realisations < 1)
    throw new FormatError(where, `'realisations' must be a positive integer, got ${realisations}`);
  const adaptive = {
    ...DEFAULT_ADAPTIVE,
    kGrid: numberArray(a['kGrid'], "'adaptive.kGrid'", where),
    window: numberField(a, 'window', where),
    bandwidth: numberField(a, 'bandwidth', where),
  };
  return { encoder, adaptive, grid, realisations };
}

function floats(t: ReturnType<typeof parseSafetensors>, name: string, shape: number[]): Float64Array | Float32Array {
  const x = t.tensors[name];
  if (!x) throw new FormatError(TRAINING_FILE, `has no tensor '${name}'`);
  if (x.shape.length !== shape.length || x.shape.some((v, i) => v !== shape[i]))
    throw new ShapeError(`${TRAINING_FILE}: '${name}' has shape [${x.shape}], expected [${shape}]`);
  if (!(x.data instanceof Float64Array || x.data instanceof Float32Array))
    throw new FormatError(TRAINING_FILE, `'${name}' must be a float tensor, got ${x.dtype}`);
  return x.data;
}

/**
 * Rebuild a fitted image model: `SchemaError` on a wrong kind/schemaVersion, `FormatError` on a bad
 * config field or missing tensor, `ShapeError` on weights or training tensors of the wrong shape.
 */
export function decodeClapImages(files: ClapImageFiles): { config: ClapImageConfig; state: ClapImageState } {
  let config: ClapImageConfig | undefined;
  const { model: nets, config: raw } = decodeModel(
    { config: upgradeKind(files.config, LEGACY_CLAP_IMAGE_KIND, CLAP_IMAGE_KIND), weights: files.weights },
    {
      kind: CLAP_IMAGE_KIND,
      schemaVersion: CLAP_IMAGE_SCHEMA_VERSION,
      build: (c) => {
        const cfg = readConfig(c);
        config = cfg;
        return new ImageNetworks(Array.from({ length: cfg.realisations }, () => new ImageEncoder(cfg.encoder, 0)));
      },
    },
  );
  try {
    const cfg = config!;
    const where = 'config.json';
    const sc = objectField(raw, 'scalings', where);
    const softening = numberArray(objectField(sc, 'images', where)['softening'], "'images.softening'", where, cfg.encoder.bands);
    if (!softening.every((v) => v > 0)) throw new FormatError(where, "'images.softening' must be > 0");
    let std = null;
    if (cfg.encoder.useMagnitudes) {
      const fs = objectField(sc, 'features', where);
      std = {
        mean: numberArray(fs['mean'], "'features.mean'", where, N_FEATURES),
        std: numberArray(fs['std'], "'features.std'", where, N_FEATURES),
      };
      if (!std.std.every((v) => v > 0)) throw new FormatError(where, "'features.std' must be > 0");
    }
    const rc = objectField(raw, 'recalibration', where);
    const rr = rc['realisations'];
    if (!Array.isArray(rr) || rr.length !== cfg.realisations)
      throw new FormatError(where, `'recalibration.realisations' must hold ${cfg.realisations} coefficient arrays`);
    const tr = parseSafetensors(files.training);
    const zTrain = Float64Array.from(floats(tr, 'z_spec', [tr.tensors['z_spec']?.shape[0] ?? 0]));
    const n = zTrain.length;
    if (n < 1) throw new FormatError(TRAINING_FILE, 'holds no training galaxies');
    assertOnGrid(cfg.grid, zTrain, 'saved training z_spec');
    const K = cfg.adaptive.kGrid.length;
    const realisations: ClapImageRealisation[] = [...nets.realisations].map((encoder, i) => {
      const pits = floats(tr, `pits.${i}`, [K, n]);
      return {
        encoder,
        latent: Float32Array.from(floats(tr, `latent.${i}`, [n, cfg.encoder.latentDim])),
        trainPits: Array.from({ length: K }, (_, k) => Float64Array.from(pits.subarray(k * n, (k + 1) * n))),
        recal: { coeffs: numberArray(rr[i], `'recalibration.realisations[${i}]'`, where) },
      };
    });
    return {
      config: cfg,
      state: {
        softening,
        std,
        zTrain,
        realisations,
        ensembleRecal: { coeffs: numberArray(rc['ensemble'], "'recalibration.ensemble'", where) },
      },
    };
  } catch (e) {
    nets.dispose();
    throw e;
  }
}

/** Write {@link ClapImageFiles} into a directory (Node only). */
export async function saveClapImageFiles(dir: string, files: ClapImageFiles): Promise<void> {
  await writeFiles(dir, { [MODEL_WEIGHTS_FILE]: files.weights, [TRAINING_FILE]: files.training, [MODEL_CONFIG_FILE]: files.config });
}

/** Read {@link ClapImageFiles} from a directory (Node only); a missing file is a `FormatError`. */
export async function readClapImageFiles(dir: string): Promise<ClapImageFiles> {
  return {
    config: await readFileIn(dir, MODEL_CONFIG_FILE, 'utf8'),
    weights: await readFileIn(dir, MODEL_WEIGHTS_FILE),
    training: await readFileIn(dir, TRAINING_FILE),
  };
}
