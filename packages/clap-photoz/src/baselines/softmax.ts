import { Rng, ValueError } from '@astro/core';
import { decodeModel, encodeModel, MODEL_CONFIG_FILE, MODEL_WEIGHTS_FILE } from '@astro/core/train';
import { colourFeatures, FEATURE_NAMES, fitStandardizer, N_FEATURES, type Standardizer } from '../catalogue/features.js';
import type { Photometry } from '../catalogue/photometry.js';
import { binPdfs, ClapEncoder, DEFAULT_ENCODER, trainEncoder, type EncoderConfig } from '../clap/encoder.js';
import type { ClapFitOptions, ClapPrediction } from '../clap/model.js';
import { pointEstimates } from '../metrics/point.js';
import { assertOnGrid, zGrid, type ZGrid } from '../pdf/grid.js';
import { numberArray, numberField, objectField } from '../persist/check.js';
import { readFileIn, upgradeKind, writeFiles } from '../persist/files.js';

/** `kind` of a saved {@link SoftmaxPhotoz}. */
export const SOFTMAX_KIND = '@astro/clap-photoz/SoftmaxPhotoz';
const SCHEMA = 1;

/**
 * The softmax-over-bins baseline network: the CLAP encoder's MLP and linear head trained with the
 * redshift-bin cross-entropy only (`contrastiveWeight: 0`); its PDF is the bin probabilities
 * spread uniformly over each bin (see {@link binPdfs}). Saved as `config.json` + `model.safetensors`.
 */
export class SoftmaxPhotoz {
  readonly encoderConfig: EncoderConfig;
  readonly grid: ZGrid;
  private encoder: ClapEncoder | undefined;
  private std: Standardizer | undefined;

  constructor(config: { encoder?: Partial<EncoderConfig>; grid?: ZGrid } = {}) {
    this.encoderConfig = { ...DEFAULT_ENCODER, ...config.encoder, contrastiveWeight: 0 };
    this.grid = config.grid ?? zGrid(0, 0.8, 0.0025);
  }

  /** Train on a catalogue with z_spec (AdamW, warm-up + cosine). @throws {ValueError} without z_spec or off-grid redshifts. */
  async fit(train: Photometry, opts: ClapFitOptions = {}): Promise<void> {
    if (!train.zSpec) throw new ValueError('SoftmaxPhotoz.fit: the training catalogue has no z_spec column');
    assertOnGrid(this.grid, train.zSpec, 'training z_spec');
    this.dispose();
    const rng = new Rng(opts.seed ?? 0).fork('softmax');
    this.std = fitStandardizer(colourFeatures(train), N_FEATURES);
    this.encoder = new ClapEncoder(this.encoderConfig, rng.fork('init').nextUint32());
    const loss = await trainEncoder(this.encoder, train, train.zSpec, this.std, {
      epochs: opts.epochs ?? 40,
      batchSize: opts.batchSize ?? 256,
      lr: opts.lr ?? 3e-3,
      seed: rng.fork('train').nextUint32(),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    opts.onMessage?.(`softmax-over-bins network: loss ${loss.toFixed(4)}`);
  }

  /** Bin-probability PDFs on the grid with mean/mode/median. @throws {ValueError} if not fitted. */
  async predict(cat: Photometry): Promise<ClapPrediction> {
    if (!this.encoder || !this.std) throw new ValueError('SoftmaxPhotoz.predict: the model is not fitted');
    const pdfs = await binPdfs(this.encoder, cat, this.std, this.grid);
    return { pdfs, summary: pointEstimates(pdfs) };
  }

  /** Save into a directory: `config.json` + `model.safetensors` (Node only). */
  async save(dir: string): Promise<void> {
    if (!this.encoder || !this.std) throw new ValueError('SoftmaxPhotoz.save: the model is not fitted');
    const files = await encodeModel(this.encoder, {
      kind: SOFTMAX_KIND,
      schemaVersion: SCHEMA,
      hyperParameters: { encoder: this.encoderConfig, grid: this.grid },
      scalings: { features: { unit: 'mag', type: 'standard', columns: [...FEATURE_NAMES], mean: this.std.mean, std: this.std.std } },
    });
    await writeFiles(dir, { [MODEL_WEIGHTS_FILE]: files.weights, [MODEL_CONFIG_FILE]: files.config });
  }

  /** Load a directory written by {@link SoftmaxPhotoz.save} (kind, schema, names and shapes checked). */
  static async load(dir: string): Promise<SoftmaxPhotoz> {
    const files = {
      config: upgradeKind(await readFileIn(dir, MODEL_CONFIG_FILE, 'utf8'), 'SoftmaxBinsPhotoz', SOFTMAX_KIND),
      weights: await readFileIn(dir, MODEL_WEIGHTS_FILE),
    };
    let out: SoftmaxPhotoz | undefined;
    const { model, config } = decodeModel(files, {
      kind: SOFTMAX_KIND,
      schemaVersion: SCHEMA,
      build: (c) => {
        const w = 'config.json';
        const hp = objectField(c, 'hyperParameters', w);
        const e = objectField(hp, 'encoder', w);
        const enc = {} as EncoderConfig;
        for (const k of Object.keys(DEFAULT_ENCODER) as (keyof EncoderConfig)[]) enc[k] = numberField(e, k, w);
        const g = objectField(hp, 'grid', w);
        out = new SoftmaxPhotoz({
          encoder: enc,
          grid: { zMin: numberField(g, 'zMin', w), dz: numberField(g, 'dz', w), n: numberField(g, 'n', w) },
        });
        return new ClapEncoder(out.encoderConfig, 0);
      },
    });
    const sc = objectField(objectField(config, 'scalings', 'config.json'), 'features', 'config.json');
    out!.std = {
      mean: numberArray(sc['mean'], "'features.mean'", 'config.json', N_FEATURES),
      std: numberArray(sc['std'], "'features.std'", 'config.json', N_FEATURES),
    };
    out!.encoder = model;
    return out!;
  }

  /** Free the network's tensors. */
  dispose(): void {
    this.encoder?.dispose();
    this.encoder = undefined;
  }
}
