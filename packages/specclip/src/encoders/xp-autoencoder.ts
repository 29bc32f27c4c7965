import { tf, ShapeError } from '@astro/core';
import { Module, MLP, rngFor } from '@astro/core/nn';

/** Options of {@link XpAutoencoder}. */
export interface XpAutoencoderOptions {
  /** Input features (default 110: Gaia XP BP+RP coefficients). */
  inputs?: number;
  /** Hidden widths of the encoder; the decoder mirrors them (default [256, 128]). */
  hidden?: readonly number[];
  /** Latent width (default 32). */
  latent?: number;
  seed?: number;
}

/**
 * MLP autoencoder for XP-like inputs (SpecCLIP's XP foundation encoder): `encoder` MLP
 * inputs → hidden… → latent and `decoder` MLP latent → …hidden → inputs, GELU between layers.
 * x [B, inputs] → z [B, latent] → x̂ [B, inputs].
 */
export class XpAutoencoder extends Module {
  /**
   * Save to `dir`: config.json (kind `@astro/specclip/XpAutoencoder`, hyper-parameters, scalings) and
   * model.safetensors with PyTorch-style names, each written atomically (Node).
   */
  async save(dir: string, opts: { labelUnits?: string | string[] } = {}): Promise<void> {
    const { saveSpecclipModel } = await import('../checkpoints/files.js');
    return saveSpecclipModel(dir, this, opts);
  }

  /** Load a model saved by `save` (kind, schemaVersion and shapes checked; Node). */
  static async load(dir: string): Promise<XpAutoencoder> {
    const { loadSpecclipModel } = await import('../checkpoints/files.js');
    return loadSpecclipModel(dir, 'XpAutoencoder');
  }

  readonly inputs: number;
  readonly latent: number;
  /** Hidden widths of the encoder (the decoder mirrors them). */
  readonly hidden: readonly number[];
  readonly encoder: MLP;
  readonly decoder: MLP;

  constructor(opts: XpAutoencoderOptions = {}) {
    super();
    this.inputs = opts.inputs ?? 110;
    this.latent = opts.latent ?? 32;
    const hidden = (this.hidden = [...(opts.hidden ?? [256, 128])]);
    const rng = rngFor(opts.seed);
    this.encoder = this.child('encoder', new MLP({ sizes: [this.inputs, ...hidden, this.latent], seed: rng.nextUint32() }));
    this.decoder = this.child('decoder', new MLP({ sizes: [this.latent, ...[...hidden].reverse(), this.inputs], seed: rng.nextUint32() }));
  }

  /** Encode x [B, inputs] → [B, latent]. @throws {ShapeError} for a wrong feature count. */
  forward(x: tf.Tensor2D): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.inputs)
      throw new ShapeError(`XpAutoencoder: expected [B, ${this.inputs}], got [${x.shape.join(', ')}]`);
    return this.encoder.forward(x) as tf.Tensor2D;
  }

  /** Decode z [B, latent] → [B, inputs]. */
  decode(z: tf.Tensor2D): tf.Tensor2D {
    return this.decoder.forward(z) as tf.Tensor2D;
  }

  /** Mean squared reconstruction error of x [B, inputs] (a scalar). */
  loss(x: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => tf.mean(tf.square(tf.sub(this.decode(this.forward(x)), x))) as tf.Scalar);
  }
}
