import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AstroError, FileError, ValueError } from '@astro/core';
import type { EmbeddingProvider } from './provider.js';

/** Options of {@link TransformersEmbeddings.load}. */
export interface TransformersEmbeddingsOptions {
  /** Pooling of token states (default `'mean'`). */
  pooling?: 'mean' | 'cls';
  /** L2-normalise the output (default true). */
  normalize?: boolean;
  /** Use the quantised weights file `onnx/model_quantized.onnx` (default false: `onnx/model.onnx`). */
  quantized?: boolean;
  prefixes?: { query?: string; document?: string };
}

/**
 * Sentence embeddings from a local ONNX model folder (config.json, tokenizer.json,
 * onnx/model.onnx — the layout of the Hugging Face Hub's ONNX exports) through
 * transformers.js 4 (`@huggingface/transformers`), offline: remote models are disabled, the
 * folder is the only source.
 */
export class TransformersEmbeddings implements EmbeddingProvider {
  readonly id: string;
  private dimension: number | undefined;
  private constructor(
    private readonly extractor: (texts: string[], o: Record<string, unknown>) => Promise<{ data: Float32Array; dims: number[] }>,
    private readonly opts: TransformersEmbeddingsOptions,
    folder: string,
  ) {
    this.id = `onnx:${folder}:${opts.pooling ?? 'mean'}`;
  }

  get dim(): number | undefined {
    return this.dimension;
  }

  /**
   * Load a model folder.
   * @throws {FileError} when the folder or its `config.json` is missing.
   * @throws {ValueError} when transformers.js cannot load it (message says why).
   */
  static async load(folder: string, opts: TransformersEmbeddingsOptions = {}): Promise<TransformersEmbeddings> {
    const dir = resolve(folder);
    for (const f of [dir, `${dir}/config.json`]) {
      try {
        await stat(f);
      } catch {
        throw new FileError(f, 'does not exist (an ONNX model folder needs config.json, tokenizer.json and onnx/model.onnx)');
      }
    }
    const name = '@huggingface/transformers';
    let hf: typeof import('@huggingface/transformers');
    try {
      hf = (await import(/* @vite-ignore */ name)) as typeof import('@huggingface/transformers');
    } catch (e) {
      throw new AstroError(
        'MISSING_PEER',
        `ONNX embeddings need the optional peer @huggingface/transformers: npm install @huggingface/transformers@4 (${(e as Error).message.split('\n')[0]})`,
      );
    }
    hf.env.allowRemoteModels = false;
    hf.env.allowLocalModels = true;
    hf.env.localModelPath = '';
    try {
      const extractor = await hf.pipeline('feature-extraction', dir, { dtype: opts.quantized ? 'q8' : 'fp32' } as never);
      return new TransformersEmbeddings(extractor as never, opts, dir);
    } catch (e) {
      throw new ValueError(`cannot load the ONNX model in ${dir}: ${(e as Error).message}`);
    }
  }

  async embed(texts: readonly string[], opts: { role?: 'query' | 'document'; signal?: AbortSignal } = {}): Promise<Float32Array> {
    const prefix = (opts.role ? this.opts.prefixes?.[opts.role] : undefined) ?? '';
    opts.signal?.throwIfAborted();
    const t = await this.extractor(
      texts.map((x) => prefix + x),
      { pooling: this.opts.pooling ?? 'mean', normalize: this.opts.normalize ?? true },
    );
    this.dimension = t.dims[t.dims.length - 1];
    return Float32Array.from(t.data);
  }
}
