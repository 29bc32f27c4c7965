import { Rng, ValueError, tf } from '@astro/core';
import { AdamW } from '@astro/core/optim';
import { fit, type FitProgress } from '@astro/core/train';
import type { LiteratureRecord } from '../corpus/record.js';
import { plainText } from '../text/clean.js';
import { SubwordTokenizer } from '../text/subword.js';
import { PathfinderTextEncoder, type TextEncoderConfig } from './encoder.js';

/** A query view of a record that is paired with its abstract in contrastive training. */
export type EncoderView = 'title' | 'keywords' | 'sentence';

/** Options of {@link trainTextEncoder}. */
export interface TrainTextEncoderOptions extends Partial<TextEncoderConfig> {
  /** Epochs over the records (default 40). */
  epochs?: number;
  /** Pairs per batch (default 64; each record at most once per batch, so no false negatives). */
  batchSize?: number;
  /** AdamW learning rate (default 3e-3). */
  lr?: number;
  /** InfoNCE temperature τ (default 0.05). */
  temperature?: number;
  /** Subword vocabulary size (default 2000). */
  vocabSize?: number;
  /** Views paired with the abstract (default all three: title, keywords, one sentence of the abstract). */
  views?: readonly EncoderView[];
  /** Texts the tokenizer learns from (default: the records' titles, abstracts and keywords). */
  tokenizerTexts?: Iterable<string>;
  /** A tokenizer to reuse instead of learning one. */
  tokenizer?: SubwordTokenizer;
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void | Promise<void>;
}

/** Sentences of an abstract (split after `.`, `?` or `!` followed by a space and a capital or digit). */
export function sentences(text: string): string[] {
  return plainText(text)
    .split(/(?<=[.?!])\s+(?=[\p{Lu}\p{N}])/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The text of `view` for a record, or undefined when the record has none. */
function viewText(r: LiteratureRecord, view: EncoderView, rng: Rng): string | undefined {
  if (view === 'title') return r.title;
  if (view === 'keywords') return r.keywords.length ? r.keywords.join('; ') : undefined;
  const s = sentences(r.abstract);
  return s.length > 1 ? s[rng.below(s.length)] : undefined;
}

/**
 * Symmetric InfoNCE (van den Oord et al. 2018; CLIP, Radford et al. 2021) between unit
 * vectors q [B, D] and d [B, D] whose row i are a positive pair: the mean of the
 * cross-entropies of softmax(q·dᵀ/τ) over rows and over columns, with the diagonal as target.
 */
export function infoNce(q: tf.Tensor, d: tf.Tensor, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const B = q.shape[0]!;
    const logits = tf.div(tf.matMul(q, d, false, true), temperature);
    const labels = tf.cast(tf.oneHot(tf.range(0, B, 1, 'int32'), B), 'float32');
    const a = tf.losses.softmaxCrossEntropy(labels, logits);
    const b = tf.losses.softmaxCrossEntropy(labels, tf.transpose(logits));
    return tf.div(tf.add(a, b), 2) as tf.Scalar;
  });
}

/** Options of {@link fitTextEncoder} / `PathfinderTextEncoder.fit`. */
export interface FitTextEncoderOptions {
  /** Epochs over the records (default 40). */
  epochs?: number;
  /** Pairs per batch (default 64; each record at most once per batch, so no false negatives). */
  batchSize?: number;
  /** AdamW learning rate (default 3e-3). */
  lr?: number;
  /** InfoNCE temperature τ (default 0.05). */
  temperature?: number;
  /** Views paired with the abstract (default all three). */
  views?: readonly EncoderView[];
  /** Seed of the batch order and view draws (default 0). */
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void | Promise<void>;
}

/**
 * Train an encoder in place through core's `fit` with a contrastive `step` (symmetric
 * InfoNCE) on pairs (view, abstract): one pair per record per epoch, the view drawn from
 * `views` with the epoch's seeded generator. Returns the per-epoch losses.
 */
export async function fitTextEncoder(
  encoder: PathfinderTextEncoder,
  records: readonly LiteratureRecord[],
  opts: FitTextEncoderOptions = {},
): Promise<number[]> {
  const withAbstract = records.filter((r) => r.abstract.length > 0);
  if (withAbstract.length < 2)
    throw new ValueError(`fitTextEncoder: needs at least 2 records with an abstract, got ${withAbstract.length}`);
  const epochs = opts.epochs ?? 40;
  const batchSize = Math.min(opts.batchSize ?? 64, withAbstract.length);
  const temperature = opts.temperature ?? 0.05;
  if (!(temperature > 0)) throw new ValueError(`fitTextEncoder: temperature must be > 0, got ${temperature}`);
  const views = opts.views ?? ['title', 'keywords', 'sentence'];
  if (views.length === 0) throw new ValueError('fitTextEncoder: views is empty');
  const V = encoder.tokenizer.size;
  const docBags = encoder.bags(withAbstract.map((r) => r.abstract));
  const n = withAbstract.length;
  const nb = Math.ceil(n / batchSize);
  const stream = {
    numBatches: nb,
    *batches(_epoch: number, rng: Rng): Iterable<{ q: tf.Tensor2D; d: tf.Tensor2D }> {
      const order = rng.permutation(n);
      for (let s = 0; s < n; s += batchSize) {
        const idx = Array.from(order.subarray(s, Math.min(n, s + batchSize)));
        if (idx.length < 2) continue;
        const texts = idx.map((i) => {
          const r = withAbstract[i]!;
          const v = views[rng.below(views.length)]!;
          return viewText(r, v, rng) ?? r.title;
        });
        const d = new Float32Array(idx.length * V);
        idx.forEach((i, j) => d.set(docBags.subarray(i * V, (i + 1) * V), j * V));
        yield { q: tf.tensor2d(encoder.bags(texts), [idx.length, V]), d: tf.tensor2d(d, [idx.length, V]) };
      }
    },
  };
  const optimizer = new AdamW(encoder.namedParameters(), { lr: opts.lr ?? 3e-3 });
  try {
    encoder.train();
    const { history } = await fit(encoder, stream, {
      epochs,
      seed: opts.seed ?? 0,
      optimizer,
      step: (b) => infoNce(encoder.forward(b.q), encoder.forward(b.d), temperature),
      batchRows: (b) => b.q.shape[0],
      progressBar: false,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    return history.loss;
  } finally {
    optimizer.dispose?.();
    encoder.eval();
  }
}

/**
 * Train a {@link PathfinderTextEncoder} on literature records: a subword vocabulary is learned
 * from the corpus text, then {@link fitTextEncoder} trains the encoder. Deterministic for a
 * given seed and backend.
 */
export async function trainTextEncoder(
  records: readonly LiteratureRecord[],
  opts: TrainTextEncoderOptions = {},
): Promise<{ encoder: PathfinderTextEncoder; loss: number[] }> {
  if (records.filter((r) => r.abstract.length > 0).length < 2)
    throw new ValueError('trainTextEncoder: needs at least 2 records with an abstract');
  const tokenizer =
    opts.tokenizer ??
    SubwordTokenizer.train(opts.tokenizerTexts ?? records.map((r) => `${r.title}\n${r.abstract}\n${r.keywords.join('; ')}`), {
      vocabSize: opts.vocabSize ?? 2000,
    });
  const encoder = new PathfinderTextEncoder(tokenizer, { width: opts.width ?? 64, dim: opts.dim ?? 64, seed: opts.seed ?? 0 });
  const loss = await fitTextEncoder(encoder, records, opts);
  return { encoder, loss };
}
