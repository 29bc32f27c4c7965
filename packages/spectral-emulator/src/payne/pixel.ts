import { tf, ShapeError } from '@astro/core';
import type { PredictOptions, SpectralEmulator } from '../emulator.js';
import type { LabelDomain } from '../labels/domain.js';
import type { LabelsInput } from '../labels/input.js';
import { checkedPredict, checkedPredictAsync, predictRows } from '../labels/predict.js';
import { MinMaxScaling } from '../labels/scaling.js';
import { readNpyFloat } from '../grid/npy.js';

/** Weights of a per-pixel Payne network with H hidden units per pixel and k labels. */
export interface PaynePixelWeights {
  /** First-layer weights [P, H, k] (row-major). */
  w0: ArrayLike<number>;
  /** First-layer biases [P, H]. */
  b0: ArrayLike<number>;
  /** Second-layer weights [P, H]. */
  w1: ArrayLike<number>;
  /** Second-layer biases [P]. */
  b1: ArrayLike<number>;
  /** Number of pixels P, hidden units H. */
  numPixels: number;
  hidden: number;
}

/** `kind` of {@link PaynePixelModel} (`@astro/<package>/<Model>`; formerly `'payne-pixel'`). */
export const PAYNE_PIXEL_KIND = '@astro/spectral-emulator/PaynePixelModel';

/** The five labels of the APOGEE per-pixel Payne network in `payne-apogee-nn/`. */
export const PAYNE_APOGEE_LABELS = {
  names: ['teff', 'logg', 'feh', 'alpha_fe', 'vmacro'] as const,
  units: ['K', 'dex', 'dex', 'dex', 'km/s'] as const,
};

/**
 * The original per-pixel form of The Payne (Ting, Conroy, Rix & Cargile 2019, ApJ 879, 69,
 * eq. 1): every pixel i has its own one-hidden-layer network,
 *
 *   s = (x − x_min)/(x_max − x_min) − 0.5,  h = σ(W0[i]·s + b0[i]),  f_i = W1[i]·h + b1[i],
 *
 * evaluated for all pixels at once as one [N, k]×[k, P·H] matMul, a sigmoid, and a
 * per-pixel weighted sum. Labels [N, k] in physical units → flux [N, P].
 */
export class PaynePixelModel implements SpectralEmulator {
  readonly kind = PAYNE_PIXEL_KIND;
  readonly domain: LabelDomain;
  readonly numPixels: number;
  readonly hidden: number;
  readonly wavelengthAngstrom: Float64Array | undefined;
  /** Pixels the published model flags as poorly modelled (`apogee_mask.npy`), when present. */
  readonly badPixelMask: Uint8Array | undefined;
  readonly scaling: MinMaxScaling;
  private readonly w0t: tf.Tensor2D; // [k, P·H]
  private readonly b0: tf.Tensor1D; // [P·H]
  private readonly w1: tf.Tensor2D; // [P, H]
  private readonly b1: tf.Tensor1D; // [P]

  constructor(
    weights: PaynePixelWeights,
    domain: LabelDomain,
    opts: { wavelengthAngstrom?: ArrayLike<number>; badPixelMask?: ArrayLike<number> } = {},
  ) {
    const { numPixels: P, hidden: H } = weights;
    const k = domain.names.length;
    const expect = (name: string, got: number, want: number): void => {
      if (got !== want) throw new ShapeError(`PaynePixelModel: ${name} has ${got} values, expected ${want} (P=${P}, H=${H}, k=${k})`);
    };
    expect('w0', weights.w0.length, P * H * k);
    expect('b0', weights.b0.length, P * H);
    expect('w1', weights.w1.length, P * H);
    expect('b1', weights.b1.length, P);
    if (opts.wavelengthAngstrom) expect('wavelength', opts.wavelengthAngstrom.length, P);
    if (opts.badPixelMask) expect('mask', opts.badPixelMask.length, P);
    this.numPixels = P;
    this.hidden = H;
    this.domain = domain;
    this.scaling = new MinMaxScaling(domain.min, domain.max, [-0.5, 0.5]);
    this.wavelengthAngstrom = opts.wavelengthAngstrom ? Float64Array.from(opts.wavelengthAngstrom) : undefined;
    this.badPixelMask = opts.badPixelMask ? Uint8Array.from(opts.badPixelMask) : undefined;
    this.w0t = tf.tidy(() => tf.transpose(tf.tensor2d(Float32Array.from(weights.w0), [P * H, k])));
    this.b0 = tf.tensor1d(Float32Array.from(weights.b0));
    this.w1 = tf.tensor2d(Float32Array.from(weights.w1), [P, H]);
    this.b1 = tf.tensor1d(Float32Array.from(weights.b1));
  }

  /**
   * Load the published APOGEE network from a `payne-apogee-nn/` folder (`w_array_0.npy` [P,H,5],
   * `w_array_1.npy`, `b_array_0.npy`, `b_array_1.npy`, `x_min.npy`, `x_max.npy`, `wavelength.npy`,
   * optional `apogee_mask.npy`). Labels: Teff (K), log g, [Fe/H], [α/Fe] (dex), vmacro (km/s).
   * `pixelRange: [first, end)` keeps only those pixels (a smaller, faster model of a window).
   *
   * @throws {ShapeError} when the arrays disagree or `pixelRange` is not within [0, P].
   */
  static async load(dir: string, opts: { pixelRange?: readonly [number, number] } = {}): Promise<PaynePixelModel> {
    const path = await import('node:path');
    const fs = await import('node:fs');
    const read = (f: string) => readNpyFloat(path.join(dir, f));
    const [w0, w1, b0, b1, xMin, xMax, wl] = await Promise.all(
      ['w_array_0.npy', 'w_array_1.npy', 'b_array_0.npy', 'b_array_1.npy', 'x_min.npy', 'x_max.npy', 'wavelength.npy'].map(read),
    );
    const maskFile = path.join(dir, 'apogee_mask.npy');
    const mask = fs.existsSync(maskFile) ? await readNpyFloat(maskFile) : undefined;
    if (w0!.shape.length !== 3) throw new ShapeError(`w_array_0.npy must be [P, H, k], got [${w0!.shape}]`);
    const [P, H, k] = w0!.shape as [number, number, number];
    if (k !== PAYNE_APOGEE_LABELS.names.length || xMin!.data.length !== k) {
      throw new ShapeError(`payne-apogee-nn expects ${PAYNE_APOGEE_LABELS.names.length} labels, w_array_0 has ${k}`);
    }
    const [a, b] = opts.pixelRange ?? [0, P];
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b <= P && b - a >= 1)) {
      throw new ShapeError(`PaynePixelModel.load: pixelRange [${a}, ${b}) must lie within [0, ${P}) and hold at least one pixel`);
    }
    const cut = <T extends { subarray(s: number, e: number): T }>(x: T, per: number): T => x.subarray(a * per, b * per);
    return new PaynePixelModel(
      { w0: cut(w0!.data, H * k), w1: cut(w1!.data, H), b0: cut(b0!.data, H), b1: cut(b1!.data, 1), numPixels: b - a, hidden: H },
      { names: PAYNE_APOGEE_LABELS.names, units: PAYNE_APOGEE_LABELS.units, min: xMin!.data, max: xMax!.data },
      { wavelengthAngstrom: cut(wl!.data, 1), ...(mask ? { badPixelMask: cut(mask.data, 1) } : {}) },
    );
  }

  /** Physical labels [N, k] → flux [N, P] (differentiable, no domain check). */
  emulate(labels: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const n = labels.shape[0];
      const s = this.scaling.scale(labels);
      const h = tf.sigmoid(tf.add(tf.matMul(s, this.w0t), this.b0)); // [N, P·H]
      const h3 = tf.reshape(h, [n, this.numPixels, this.hidden]);
      return tf.add(tf.sum(tf.mul(h3, this.w1), 2), this.b1) as tf.Tensor2D;
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

  numParameters(): number {
    const k = this.domain.names.length;
    return this.numPixels * (this.hidden * k + this.hidden + this.hidden + 1);
  }

  dispose(): void {
    for (const t of [this.w0t, this.b0, this.w1, this.b1]) t.dispose();
  }
}
