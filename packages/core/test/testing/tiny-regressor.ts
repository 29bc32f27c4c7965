// A minimal model that follows the house contract end to end, used to prove the conformance
// spec (and shown in docs/house.md): core's fit, Rng-seeded init, async predict, saveModel/loadModel.
import { tf, ValueError } from '../../src/index.js';
import { MLP } from '../../src/nn/index.js';
import { fit, loadModel, saveModel, type FitProgress, type ModelConfig } from '../../src/train/index.js';

/** Hyper-parameters saved in config.json. */
export interface TinyRegressorConfig {
  sizes: number[];
  seed: number;
}

/** A tanh MLP regressor: x [n, sizes[0]] → y [n, sizes.at(-1)]. */
export class TinyRegressor {
  static readonly kind = '@astro/core/TinyRegressor';
  static readonly schemaVersion = 1;
  private readonly net: MLP;

  /** Constructing never trains: it only initialises weights from `seed`. */
  constructor(readonly config: TinyRegressorConfig) {
    this.net = new MLP({ sizes: config.sizes, activation: 'tanh', seed: config.seed });
  }

  /** Train with core's fit (seeded, abortable, progress through onProgress). */
  async fit(
    data: { x: number[][]; y: number[][] },
    opts: { epochs: number; seed?: number; signal?: AbortSignal; onProgress?: (p: FitProgress) => void | Promise<void> },
  ): Promise<void> {
    await fit(this.net, data, { ...opts, batchSize: 16, progressBar: false });
  }

  /** Predictions as nested arrays (async: works on webgpu in Node). */
  async predict(x: number[][]): Promise<number[][]> {
    if (!Array.isArray(x) || x.some((r) => r.length !== this.config.sizes[0])) {
      throw new ValueError(`x must be rows of ${this.config.sizes[0]} numbers`);
    }
    const t = tf.tensor2d(x);
    const y = tf.tidy(() => this.net.forward(t));
    try {
      return (await y.array()) as number[][];
    } finally {
      tf.dispose([t, y]);
    }
  }

  /** config.json + model.safetensors in `dir`, written atomically. */
  async save(dir: string): Promise<void> {
    const config: ModelConfig = {
      kind: TinyRegressor.kind,
      schemaVersion: TinyRegressor.schemaVersion,
      hyperParameters: { ...this.config },
    };
    await saveModel(dir, this.net, config);
  }

  /** Load a directory written by {@link TinyRegressor.save} (kind, schema and SHA-256 checked). */
  static async load(dir: string): Promise<TinyRegressor> {
    let made: TinyRegressor | undefined;
    await loadModel(dir, {
      kind: TinyRegressor.kind,
      schemaVersion: TinyRegressor.schemaVersion,
      build: (c) => {
        made = new TinyRegressor(c.hyperParameters as unknown as TinyRegressorConfig);
        return made.net;
      },
    });
    return made!;
  }

  dispose(): void {
    this.net.dispose();
  }
}
