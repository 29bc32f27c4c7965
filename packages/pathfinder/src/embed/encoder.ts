import { SchemaError, ShapeError, ValueError, tf } from '@astro/core';
import { Embedding, Linear, Module, normal } from '@astro/core/nn';
import { decodeModel, encodeModel, loadModel, saveModel, type ModelConfig, type ModelFiles } from '@astro/core/train';
import { SubwordTokenizer, UNK_ID } from '../text/subword.js';
import type { EmbeddingProvider } from './provider.js';
import type { LiteratureRecord } from '../corpus/record.js';
import type { FitTextEncoderOptions } from './train.js';

/** Saved-model kind of {@link PathfinderTextEncoder}. */
export const TEXT_ENCODER_KIND = '@astro/pathfinder/TextEncoder';
/** Schema version of its `config.json`. */
export const TEXT_ENCODER_SCHEMA = 1;

/** Hyper-parameters of {@link PathfinderTextEncoder}. */
export interface TextEncoderConfig {
  /** Width of the subword embedding table. */
  width: number;
  /** Output (embedding) dimension. */
  dim: number;
  /** Seed of the initialisation. */
  seed: number;
}

/**
 * The package's own text encoder: a subword bag-of-pieces model (fastText-like; Joulin et al.
 * 2017) trained contrastively on the corpus. A text becomes the mean of its pieces'
 * embeddings, computed as a product of the normalised piece-count vector [B, V] with the
 * table [V, width] (no one-hot or scatter, so every backend trains it), then a linear map to
 * `dim` and L2 normalisation. It has no context limit: every piece of a text counts.
 * Weights: `embed.weight` [V, width], `proj.weight` [dim, width], `proj.bias` [dim].
 */
export class PathfinderTextEncoder extends Module {
  readonly tokenizer: SubwordTokenizer;
  readonly config: TextEncoderConfig;
  readonly embed: Embedding;
  readonly proj: Linear;

  constructor(tokenizer: SubwordTokenizer, config: Partial<TextEncoderConfig> = {}) {
    super();
    this.tokenizer = tokenizer;
    this.config = { width: config.width ?? 64, dim: config.dim ?? 64, seed: config.seed ?? 0 };
    const { width, dim, seed } = this.config;
    if (!(Number.isInteger(width) && width > 0 && Number.isInteger(dim) && dim > 0))
      throw new ValueError(`PathfinderTextEncoder: width and dim must be positive integers, got ${width}, ${dim}`);
    this.embed = this.child('embed', new Embedding(tokenizer.size, width, { seed, init: normal({ std: 0.1 }) }));
    this.proj = this.child('proj', new Linear(width, dim, { seed: seed + 1 }));
  }

  /** Output dimension. */
  get dim(): number {
    return this.config.dim;
  }

  /**
   * Normalised piece-count vectors of texts, [B, V] row-major (rows of texts with no known
   * piece are all zero). Unknown pieces are dropped.
   */
  bags(texts: readonly string[]): Float32Array {
    const V = this.tokenizer.size;
    const out = new Float32Array(texts.length * V);
    texts.forEach((t, i) => {
      const ids = this.tokenizer.encode(t).filter((id) => id !== UNK_ID);
      for (const id of ids) out[i * V + id]! += 1 / ids.length;
    });
    return out;
  }

  /** bags [B, V] → unit embeddings [B, dim] (differentiable). */
  forward(bags: tf.Tensor): tf.Tensor {
    if (bags.rank !== 2 || bags.shape[1] !== this.tokenizer.size)
      throw new ShapeError(`PathfinderTextEncoder: expected bags [B, ${this.tokenizer.size}], got [${bags.shape}]`);
    return tf.tidy(() => {
      const pooled = tf.matMul(bags, this.embed.weight);
      const z = this.proj.forward(pooled);
      return tf.div(z, tf.add(tf.norm(z, 'euclidean', 1, true), 1e-12));
    });
  }

  /** Unit embeddings of texts, [texts.length × dim] row-major, in batches of `batchSize`. */
  async encode(texts: readonly string[], batchSize = 256): Promise<Float32Array> {
    const out = new Float32Array(texts.length * this.dim);
    const was = this.training;
    this.eval();
    try {
      for (let s = 0; s < texts.length; s += batchSize) {
        const chunk = texts.slice(s, s + batchSize);
        const x = tf.tensor2d(this.bags(chunk), [chunk.length, this.tokenizer.size]);
        const y = this.forward(x);
        out.set((await y.data()) as Float32Array, s * this.dim);
        tf.dispose([x, y]);
      }
    } finally {
      this.train(was);
    }
    return out;
  }

  /**
   * Train in place on literature records (core's `fit`, contrastive step; see `fitTextEncoder`).
   * Returns the per-epoch losses.
   */
  async fit(records: readonly LiteratureRecord[], opts: FitTextEncoderOptions = {}): Promise<number[]> {
    const { fitTextEncoder } = await import('./train.js');
    return fitTextEncoder(this, records, opts);
  }

  /** Unit embeddings of texts (the model contract's `predict`): texts.length × dim, row-major. */
  async predict(texts: readonly string[]): Promise<Float32Array> {
    return this.encode(texts);
  }

  /** The config.json contents: kind, schema, hyper-parameters and the tokenizer's vocabulary. */
  modelConfig(extra: Record<string, unknown> = {}): ModelConfig {
    return {
      kind: TEXT_ENCODER_KIND,
      schemaVersion: TEXT_ENCODER_SCHEMA,
      hyperParameters: { ...this.config },
      tokenizer: { type: 'wordpiece-bpe', vocab: this.tokenizer.vocab },
      ...extra,
    };
  }

  /** Save as `dir/config.json` + `dir/model.safetensors` (atomic writes). */
  async save(dir: string): Promise<void> {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir, { recursive: true });
    await saveModel(dir, this, this.modelConfig());
  }

  /** The two files in memory (browser). */
  async toFiles(): Promise<ModelFiles> {
    return encodeModel(this, this.modelConfig());
  }

  private static build(config: ModelConfig): PathfinderTextEncoder {
    const tok = config['tokenizer'] as { vocab?: unknown } | undefined;
    if (!tok || !Array.isArray(tok.vocab) || !tok.vocab.every((p) => typeof p === 'string'))
      throw new SchemaError(`${TEXT_ENCODER_KIND}: config.json has no tokenizer.vocab`);
    const hp = (config.hyperParameters ?? {}) as Partial<TextEncoderConfig>;
    return new PathfinderTextEncoder(new SubwordTokenizer(tok.vocab as string[]), hp);
  }

  /** Load a directory written by {@link PathfinderTextEncoder.save}; `SchemaError` for another kind, `FormatError` for a bad file. */
  static async load(dir: string): Promise<PathfinderTextEncoder> {
    return (
      await loadModel(dir, { kind: TEXT_ENCODER_KIND, schemaVersion: TEXT_ENCODER_SCHEMA, build: (c) => PathfinderTextEncoder.build(c) })
    ).model;
  }

  /** Load from the two files in memory (browser). */
  static fromFiles(files: ModelFiles): PathfinderTextEncoder {
    return decodeModel(files, { kind: TEXT_ENCODER_KIND, schemaVersion: TEXT_ENCODER_SCHEMA, build: (c) => PathfinderTextEncoder.build(c) })
      .model;
  }
}

/** An {@link EmbeddingProvider} over a {@link PathfinderTextEncoder}. */
export class LocalEncoderProvider implements EmbeddingProvider {
  readonly id: string;
  constructor(
    readonly encoder: PathfinderTextEncoder,
    name = 'local',
  ) {
    this.id = `${TEXT_ENCODER_KIND}:${name}:V${encoder.tokenizer.size}:d${encoder.dim}`;
  }
  get dim(): number {
    return this.encoder.dim;
  }
  async embed(texts: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<Float32Array> {
    opts.signal?.throwIfAborted();
    return this.encoder.encode(texts);
  }
}
