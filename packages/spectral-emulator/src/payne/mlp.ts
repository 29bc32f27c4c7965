import { tf, ValueError } from '@astro/core';
import { MLP, type ActivationName, type Rng } from '@astro/core/nn';
import { loadModel, saveModel, type ModelConfig } from '@astro/core/train';
import type { PredictOptions, SpectralEmulator } from '../emulator.js';
import type { LabelDomain } from '../labels/domain.js';
import type { LabelsInput } from '../labels/input.js';
import { checkedPredict, checkedPredictAsync, predictRows } from '../labels/predict.js';
import { MinMaxScaling } from '../labels/scaling.js';
import type { SpectraDataset } from '../training/dataset.js';
import {
  fitEmulator,
  spectrumLoss,
  type EmulatorFitOptions,
  type SpectrumLoss,
  type TrainableEmulator,
  type TrainResult,
} from '../training/train.js';

/** `kind` of {@link MlpEmulator} in `config.json` (`@astro/<package>/<Model>`). */
export const MLP_EMULATOR_KIND = '@astro/spectral-emulator/MlpEmulator';

/** Options of {@link MlpEmulator}. */
export interface MlpEmulatorOptions {
  /** Trained label box (names, units, min, max); labels are min-max scaled with it. */
  domain: LabelDomain;
  /** Output pixels P. */
  numPixels: number;
  /** Hidden layer widths (The Payne: two layers; e.g. [300, 300]). */
  hiddenSizes: readonly number[];
  /** Hidden activation: The Payne uses `'leaky_relu'` (slope 0.01); the reference bundle `'gelu_tanh'`. */
  activation?: ActivationName;
  /** Interval labels are scaled to: The Payne [−0.5, 0.5], bundles [0, 1]. */
  inputRange?: readonly [number, number];
  /** Wavelength per pixel, Å. */
  wavelengthAngstrom?: ArrayLike<number>;
  /** Seed of the initialisation (PyTorch's default U(±1/√fan_in)). */
  seed?: number;
  /** Bounds of the input min-max scaling when they differ from `domain` (e.g. a bundle's reference scaling). */
  scalingBounds?: { min: ArrayLike<number>; max: ArrayLike<number> };
  /** Output affine map flux = min + y·(max − min) applied to the network output (default identity: 0, 1). */
  outputScaling?: { min: number; max: number };
}

/**
 * A fully connected emulator: physical labels → min-max scaling → MLP → flux. With the
 * defaults it is The Payne's network (Ting et al. 2019, ApJ 879, 69, §2.2: labels scaled to
 * [−0.5, 0.5], two LeakyReLU hidden layers, trained with an L1 loss via {@link trainEmulator}).
 * Parameters are `layers.<i>.weight` [out, in] and `layers.<i>.bias`, as `torch.nn.Linear`.
 */
export class MlpEmulator extends MLP implements SpectralEmulator, TrainableEmulator {
  readonly kind = MLP_EMULATOR_KIND;
  static readonly schemaVersion = 1;
  readonly domain: LabelDomain;
  readonly numPixels: number;
  readonly hiddenSizes: readonly number[];
  readonly activationName: ActivationName;
  readonly scaling: MinMaxScaling;
  readonly wavelengthAngstrom: Float64Array | undefined;
  /** flux = min + network output · (max − min). */
  readonly outputScaling: { min: number; max: number };
  private readonly options: MlpEmulatorOptions;

  constructor(opts: MlpEmulatorOptions) {
    const activation = opts.activation ?? 'leaky_relu';
    super({
      sizes: [opts.domain.names.length, ...opts.hiddenSizes, opts.numPixels],
      activation,
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
    });
    this.domain = {
      names: [...opts.domain.names],
      units: [...opts.domain.units],
      min: Float64Array.from(opts.domain.min),
      max: Float64Array.from(opts.domain.max),
    };
    this.numPixels = opts.numPixels;
    this.hiddenSizes = [...opts.hiddenSizes];
    this.activationName = activation;
    const sb = opts.scalingBounds ?? this.domain;
    this.scaling = new MinMaxScaling(sb.min, sb.max, opts.inputRange ?? [-0.5, 0.5]);
    this.outputScaling = { min: opts.outputScaling?.min ?? 0, max: opts.outputScaling?.max ?? 1 };
    this.wavelengthAngstrom = opts.wavelengthAngstrom ? Float64Array.from(opts.wavelengthAngstrom) : undefined;
    this.options = opts;
  }

  /** Physical labels [N, k] → flux [N, P] (differentiable, no domain check). */
  emulate(labels: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const y = this.forward(this.scaling.scale(labels)) as tf.Tensor2D;
      const { min, max } = this.outputScaling;
      return min === 0 && max === 1 ? y : (tf.add(tf.mul(y, max - min), min) as tf.Tensor2D);
    });
  }

  /** Flux rows [N][P] for physical labels (checked: shape, NaN, trained domain); read back asynchronously. */
  predict(labels: LabelsInput, opts?: PredictOptions): Promise<number[][]> {
    return predictRows(this, labels, opts);
  }

  /** Checked forward pass as a tensor [N, P] the caller owns (shape, NaN, trained domain); see {@link SpectralEmulator.predictTensor}. */
  predictTensor(labels: LabelsInput, opts?: PredictOptions): tf.Tensor2D {
    return checkedPredict(this, labels, opts);
  }

  /** {@link predictTensor} for any labels, tensors included, read back asynchronously (every backend). */
  predictAsync(labels: LabelsInput, opts?: PredictOptions): Promise<tf.Tensor2D> {
    return checkedPredictAsync(this, labels, opts);
  }

  /**
   * Train through core's `fit` (AdamW on seeded shuffled batches, abortable, `FitProgress` through
   * `onProgress`): {@link trainEmulator} with The Payne's L1 loss unless `loss` says otherwise.
   */
  fit(data: SpectraDataset, opts: EmulatorFitOptions = {}): Promise<TrainResult> {
    return fitEmulator(this, data, { loss: 'l1', ...opts });
  }

  /** The `config.json` content: kind, schema version, hyper-parameters, label scaling with units, grid. */
  config(): ModelConfig {
    const o = this.options;
    const sb = this.scaling;
    return {
      kind: MLP_EMULATOR_KIND,
      schemaVersion: MlpEmulator.schemaVersion,
      hyperParameters: {
        numPixels: this.numPixels,
        hiddenSizes: [...this.hiddenSizes],
        activation: this.activationName,
        outputScaling: { ...this.outputScaling },
        ...(o.seed === undefined ? {} : { seed: o.seed }),
      },
      scalings: {
        labels: {
          type: 'minmax',
          unit: [...this.domain.units],
          names: [...this.domain.names],
          min: [...sb.min],
          max: [...sb.max],
          range: [...sb.range],
        },
      },
      domain: { min: [...this.domain.min], max: [...this.domain.max] },
      ...(this.wavelengthAngstrom ? { wavelengthAngstrom: [...this.wavelengthAngstrom] } : {}),
    };
  }

  /**
   * Save as `config.json` + `model.safetensors` (core's layout; weights `layers.<i>.weight` as
   * `torch.nn.Linear`), written atomically. For the released-bundle layout use `saveBundle(model, dir)`.
   */
  async save(dir: string): Promise<void> {
    await saveModel(dir, this, this.config());
  }

  /**
   * Load a model saved by {@link MlpEmulator.save} (kind, schema and SHA-256 checked), or a
   * released-style bundle (`metadata.json` + `weights/`, read by `loadBundle` with `opts`).
   */
  static async load(dir: string, opts: import('../bundle/load.js').LoadBundleOptions = {}): Promise<MlpEmulator> {
    const fs = await import('node:fs');
    const path = await import('node:path');
    if (fs.existsSync(path.join(dir, 'metadata.json')) && fs.existsSync(path.join(dir, 'weights'))) {
      const { loadBundle } = await import('../bundle/load.js');
      return loadBundle(dir, opts);
    }
    const { model } = await loadModel(dir, {
      kind: MLP_EMULATOR_KIND,
      schemaVersion: MlpEmulator.schemaVersion,
      build: (c: ModelConfig) => {
        const s = c.scalings?.['labels'] as
          { unit: string[]; names: string[]; min: number[]; max: number[]; range: [number, number] } | undefined;
        const d = c['domain'] as { min: number[]; max: number[] } | undefined;
        if (!s || !d) throw new ValueError(`${MLP_EMULATOR_KIND} config.json lacks scalings.labels or domain`);
        const hp = c.hyperParameters as {
          numPixels: number;
          hiddenSizes: number[];
          activation: ActivationName;
          outputScaling: { min: number; max: number };
          seed?: number;
        };
        return new MlpEmulator({
          domain: { names: s.names, units: s.unit, min: Float64Array.from(d.min), max: Float64Array.from(d.max) },
          numPixels: hp.numPixels,
          hiddenSizes: hp.hiddenSizes,
          activation: hp.activation,
          inputRange: s.range,
          scalingBounds: { min: s.min, max: s.max },
          outputScaling: hp.outputScaling,
          ...(hp.seed === undefined ? {} : { seed: hp.seed }),
          ...(c['wavelengthAngstrom'] ? { wavelengthAngstrom: c['wavelengthAngstrom'] as number[] } : {}),
        });
      },
    });
    return model;
  }

  /** Loss of emulated vs target flux on one batch (all pixels). */
  batchLoss(labels: tf.Tensor2D, flux: tf.Tensor2D, loss: SpectrumLoss, _rng: Rng): tf.Scalar {
    return tf.tidy(() => spectrumLoss(this.emulate(labels), flux, loss));
  }

  /** Forward multiply-adds ×2, ×3 for forward + backward. */
  trainFlopsPerSample(): number {
    let f = 0;
    for (let i = 0; i + 1 < this.sizes.length; i++) f += 2 * this.sizes[i]! * this.sizes[i + 1]!;
    return 3 * f;
  }
}

/**
 * The Payne's MLP emulator (Ting et al. 2019): labels min-max scaled to [−0.5, 0.5], hidden
 * layers of `width` units with LeakyReLU(0.01), a linear readout to P pixels.
 */
export function createPayne(
  opts: Omit<MlpEmulatorOptions, 'activation' | 'inputRange' | 'hiddenSizes'> & { width?: number; depth?: number },
): MlpEmulator {
  const width = opts.width ?? 300;
  const depth = opts.depth ?? 2;
  return new MlpEmulator({
    ...opts,
    hiddenSizes: Array.from({ length: depth }, () => width),
    activation: 'leaky_relu',
    inputRange: [-0.5, 0.5],
  });
}
