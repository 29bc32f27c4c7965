import { FormatError, ShapeError } from '@astro/core';
import { encodeSafetensors, parseSafetensors, type SafetensorsInput } from '@astro/core/io';
import { Module, ModuleList } from '@astro/core/nn';
import { decodeModel, encodeModel, MODEL_CONFIG_FILE, MODEL_WEIGHTS_FILE, type ModelConfig } from '@astro/core/train';
import { FEATURE_NAMES, N_FEATURES } from '../catalogue/features.js';
import { DEFAULT_ADAPTIVE, type AdaptiveKnnOptions } from '../clap/adaptive-knn.js';
import { ClapEncoder, DEFAULT_ENCODER, type EncoderConfig } from '../clap/encoder.js';
import type { ClapConfig } from '../clap/model.js';
import { DEFAULT_REFIT, RefitNetwork, type RefitConfig } from '../clap/refit.js';
import type { ClapRealisation, ClapState } from '../clap/state.js';
import { assertOnGrid, zGrid, type ZGrid } from '../pdf/grid.js';
import { numberArray, numberField, objectField } from './check.js';
import { readFileIn, upgradeKind, writeFiles } from './files.js';

/** `kind` of a saved {@link ClapPhotoz}. */
export const CLAP_KIND = '@astro/clap-photoz/ClapPhotoz';
/** The `kind` models saved before version 0.2 carry; still loaded. */
const LEGACY_CLAP_KIND = 'ClapPhotoz';
/** Layout version of `config.json`, `model.safetensors` and `training.safetensors` written by this code. */
export const CLAP_SCHEMA_VERSION = 1;
/** File of a saved CLAP model holding the training set's latents, redshifts and leave-one-out PITs. */
export const CLAP_TRAINING_FILE = 'training.safetensors';

/**
 * A fitted CLAP model as three files (in memory, so it works in a browser too):
 * - `config.json`: kind, schemaVersion, hyper-parameters, feature standardisation (mag), the
 *   PIT-recalibration coefficients of every realisation and of the ensemble;
 * - `model.safetensors`: the encoders' weights, PyTorch-style names `realisations.<r>.body.layers.<l>.weight`,
 *   and the refit networks' `refit.<r>.mlp.layers.<l>.weight` when fitted with `refit`;
 * - `training.safetensors`: `z_spec` [n] (F64), and per realisation `latent.<r>` [n, latentDim] (F32) and
 *   `pits.<r>` [kGrid, n] (F64), the leave-one-out training PITs that choose k.
 */
export interface ClapFiles {
  config: string;
  weights: Uint8Array;
  training: Uint8Array;
}

/** The realisations' encoders under one module, so their weights share one dotted namespace. */
class ClapNetworks extends Module {
  readonly realisations: ModuleList<ClapEncoder>;
  readonly refits: ModuleList<RefitNetwork> | undefined;
  constructor(encoders: ClapEncoder[], refits: RefitNetwork[] = []) {
    super();
    this.realisations = this.child('realisations', new ModuleList(encoders));
    if (refits.length) this.refits = this.child('refit', new ModuleList(refits));
  }
}

/** Serialise a fitted CLAP model to {@link ClapFiles}. */
export async function encodeClap(config: ClapConfig, s: ClapState): Promise<ClapFiles> {
  const n = s.zTrain.length;
  const d = config.encoder.latentDim;
  const meta: ModelConfig = {
    kind: CLAP_KIND,
    schemaVersion: CLAP_SCHEMA_VERSION,
    hyperParameters: {
      encoder: config.encoder,
      adaptive: config.adaptive,
      grid: config.grid,
      realisations: config.realisations,
      refit: config.refit,
    },
    scalings: { features: { unit: 'mag', type: 'standard', columns: [...FEATURE_NAMES], mean: s.std.mean, std: s.std.std } },
    recalibration: {
      form: "G(u) = u + u(1-u) * sum_k c_k u^k; p'(z) = G'(F(z)) p(z)",
      realisations: s.realisations.map((r) => r.recal.coeffs),
      ensemble: s.ensembleRecal.coeffs,
      ...(s.refitRecal ? { refit: s.refitRecal.coeffs } : {}),
    },
    training: { file: CLAP_TRAINING_FILE, galaxies: n },
  };
  const refits = s.realisations.flatMap((r) => (r.refit ? [r.refit] : []));
  const files = await encodeModel(
    new ClapNetworks(
      s.realisations.map((r) => r.encoder),
      refits,
    ),
    meta,
  );
  const tensors: Record<string, SafetensorsInput> = { z_spec: { shape: [n], data: s.zTrain } };
  s.realisations.forEach((r, i) => {
    tensors[`latent.${i}`] = { shape: [n, d], data: r.latent };
    const pits = new Float64Array(r.trainPits.length * n);
    r.trainPits.forEach((p, k) => pits.set(p, k * n));
    tensors[`pits.${i}`] = { shape: [r.trainPits.length, n], data: pits };
  });
  const training = encodeSafetensors(tensors, { metadata: { kind: CLAP_KIND, schemaVersion: String(CLAP_SCHEMA_VERSION) } });
  return { ...files, training };
}

function readClapConfig(c: ModelConfig): ClapConfig {
  const where = 'config.json';
  const hp = objectField(c, 'hyperParameters', where);
  const e = objectField(hp, 'encoder', where);
  const encoder = { ...DEFAULT_ENCODER } as EncoderConfig;
  for (const k of Object.keys(DEFAULT_ENCODER) as (keyof EncoderConfig)[]) encoder[k] = numberField(e, k, where);
  const a = objectField(hp, 'adaptive', where);
  const adaptive: AdaptiveKnnOptions = {
    kGrid: numberArray(a['kGrid'], "'adaptive.kGrid'", where),
    window: numberField(a, 'window', where),
    bandwidth: numberField(a, 'bandwidth', where),
  };
  const g = objectField(hp, 'grid', where);
  const grid: ZGrid = { zMin: numberField(g, 'zMin', where), dz: numberField(g, 'dz', where), n: numberField(g, 'n', where) };
  zGrid(grid.zMin, grid.zMin + (grid.n - 1) * grid.dz, grid.dz);
  const realisations = numberField(hp, 'realisations', where);
  if (!Number.isInteger(realisations) || realisations < 1)
    throw new FormatError(where, `'realisations' must be a positive integer, got ${realisations}`);
  let refit: RefitConfig | null = null;
  if (hp['refit'] !== undefined && hp['refit'] !== null) {
    const r = objectField(hp, 'refit', where);
    refit = { ...DEFAULT_REFIT };
    for (const k of Object.keys(DEFAULT_REFIT) as (keyof RefitConfig)[]) refit[k] = numberField(r, k, where);
  }
  return { encoder, adaptive: { ...DEFAULT_ADAPTIVE, ...adaptive }, grid, realisations, refit };
}

function tensorOf(t: ReturnType<typeof parseSafetensors>, name: string, shape: number[]): Float64Array | Float32Array {
  const x = t.tensors[name];
  if (!x) throw new FormatError(CLAP_TRAINING_FILE, `has no tensor '${name}'`);
  if (x.shape.length !== shape.length || x.shape.some((v, i) => v !== shape[i])) {
    throw new ShapeError(`${CLAP_TRAINING_FILE}: '${name}' has shape [${x.shape}], expected [${shape}]`);
  }
  if (!(x.data instanceof Float64Array || x.data instanceof Float32Array))
    throw new FormatError(CLAP_TRAINING_FILE, `'${name}' must be a float tensor, got ${x.dtype}`);
  return x.data;
}

/**
 * Rebuild a fitted CLAP model from {@link ClapFiles}. Checks kind and schemaVersion
 * (`SchemaError`), every config field (`FormatError`), weight names and shapes and the
 * training tensors' shapes (`ShapeError`), and that the training redshifts lie on the grid (`ValueError`).
 */
export function decodeClap(files: ClapFiles): { config: ClapConfig; state: ClapState } {
  let config: ClapConfig | undefined;
  const { model: nets, config: raw } = decodeModel(
    { config: upgradeKind(files.config, LEGACY_CLAP_KIND, CLAP_KIND), weights: files.weights },
    {
      kind: CLAP_KIND,
      schemaVersion: CLAP_SCHEMA_VERSION,
      build: (c) => {
        config = readClapConfig(c);
        const cfg = config;
        const refit = cfg.refit;
        return new ClapNetworks(
          Array.from({ length: cfg.realisations }, () => new ClapEncoder(cfg.encoder, 0)),
          refit ? Array.from({ length: cfg.realisations }, () => new RefitNetwork(cfg.encoder.latentDim, refit, 0)) : [],
        );
      },
    },
  );
  try {
    const cfg = config!;
    const where = 'config.json';
    const sc = objectField(objectField(raw, 'scalings', where), 'features', where);
    const std = {
      mean: numberArray(sc['mean'], "'features.mean'", where, N_FEATURES),
      std: numberArray(sc['std'], "'features.std'", where, N_FEATURES),
    };
    if (!std.std.every((v) => v > 0)) throw new FormatError(where, "'features.std' must be > 0");
    const rc = objectField(raw, 'recalibration', where);
    const realRecal = rc['realisations'];
    if (!Array.isArray(realRecal) || realRecal.length !== cfg.realisations)
      throw new FormatError(where, `'recalibration.realisations' must hold ${cfg.realisations} coefficient arrays`);
    const tr = parseSafetensors(files.training);
    const zTrain = Float64Array.from(tensorOf(tr, 'z_spec', [tr.tensors['z_spec']?.shape[0] ?? 0]));
    const n = zTrain.length;
    if (n < 1) throw new FormatError(CLAP_TRAINING_FILE, 'holds no training galaxies');
    assertOnGrid(cfg.grid, zTrain, 'saved training z_spec');
    const K = cfg.adaptive.kGrid.length;
    const realisations: ClapRealisation[] = [...nets.realisations].map((encoder, i) => {
      const latent = Float32Array.from(tensorOf(tr, `latent.${i}`, [n, cfg.encoder.latentDim]));
      const pits = tensorOf(tr, `pits.${i}`, [K, n]);
      const trainPits = Array.from({ length: K }, (_, k) => Float64Array.from(pits.subarray(k * n, (k + 1) * n)));
      const real: ClapRealisation = {
        encoder,
        latent,
        trainPits,
        recal: { coeffs: numberArray(realRecal[i], `'recalibration.realisations[${i}]'`, where) },
      };
      if (nets.refits) real.refit = nets.refits.at(i);
      return real;
    });
    const state: ClapState = {
      std,
      zTrain,
      realisations,
      ensembleRecal: { coeffs: numberArray(rc['ensemble'], "'recalibration.ensemble'", where) },
    };
    if (cfg.refit) state.refitRecal = { coeffs: numberArray(rc['refit'], "'recalibration.refit'", where) };
    return { config: cfg, state };
  } catch (e) {
    nets.dispose();
    throw e;
  }
}

/** Write {@link ClapFiles} into a directory (Node only). */
export async function saveClapFiles(dir: string, files: ClapFiles): Promise<void> {
  await writeFiles(dir, { [MODEL_WEIGHTS_FILE]: files.weights, [CLAP_TRAINING_FILE]: files.training, [MODEL_CONFIG_FILE]: files.config });
}

/** Read {@link ClapFiles} from a directory (Node only); a missing file is a `FormatError`. */
export async function readClapFiles(dir: string): Promise<ClapFiles> {
  return {
    config: await readFileIn(dir, MODEL_CONFIG_FILE, 'utf8'),
    weights: await readFileIn(dir, MODEL_WEIGHTS_FILE),
    training: await readFileIn(dir, CLAP_TRAINING_FILE),
  };
}
