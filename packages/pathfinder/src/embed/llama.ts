import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { ValueError } from '@astro/core';
import { ProviderError, fileFingerprint } from '@astro/llm-eval';
import type { EmbeddingProvider } from './provider.js';

type LlamaCpp = typeof import('node-llama-cpp');

/** Options of {@link LlamaEmbeddings.load}. */
export interface LlamaEmbeddingsOptions {
  /** Context size in tokens (default: the model's training context, at most 2048). */
  contextSize?: number;
  threads?: number;
  gpu?: boolean;
}

/**
 * Embeddings from a GGUF model in-process through node-llama-cpp's embedding context
 * (llama.cpp pooling as the model declares it). A text longer than the context raises
 * a `ValueError` naming its length, never a crash. node-llama-cpp is loaded lazily (it is
 * the dependency `@astro/llm-eval` already brings).
 */
export class LlamaEmbeddings implements EmbeddingProvider {
  readonly id: string;
  private constructor(
    private readonly model: import('node-llama-cpp').LlamaModel,
    private readonly context: import('node-llama-cpp').LlamaEmbeddingContext,
    private readonly llama: import('node-llama-cpp').Llama,
    readonly dim: number,
    readonly contextSize: number,
    id: string,
  ) {
    this.id = id;
  }

  /** Load a GGUF file. `ProviderError` when it does not exist or cannot be loaded. */
  static async load(path: string, opts: LlamaEmbeddingsOptions = {}): Promise<LlamaEmbeddings> {
    try {
      await stat(path);
    } catch (e) {
      throw new ProviderError(`GGUF model not found: ${path}`, { retryable: false, cause: e });
    }
    const name = 'node-llama-cpp';
    const cpp = (await import(/* @vite-ignore */ name)) as LlamaCpp;
    const llama = await cpp.getLlama({ gpu: opts.gpu ? 'auto' : false, logLevel: 'error' as never });
    let model: import('node-llama-cpp').LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: path });
    } catch (e) {
      await llama.dispose();
      throw new ProviderError(`cannot load GGUF model ${path}: ${(e as Error).message}`, { retryable: false, cause: e });
    }
    const contextSize = opts.contextSize ?? Math.min(2048, model.trainContextSize);
    const context = await model.createEmbeddingContext({ contextSize, ...(opts.threads !== undefined ? { threads: opts.threads } : {}) });
    const probe = await context.getEmbeddingFor('a');
    return new LlamaEmbeddings(
      model,
      context,
      llama,
      probe.vector.length,
      contextSize,
      `gguf:${basename(path)}:${await fileFingerprint(path)}`,
    );
  }

  async embed(texts: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<Float32Array> {
    const out = new Float32Array(texts.length * this.dim);
    for (const [i, t] of texts.entries()) {
      opts.signal?.throwIfAborted();
      const n = this.model.tokenize(t).length;
      if (n >= this.contextSize)
        throw new ValueError(
          `text ${i} has ${n} tokens; the embedding context holds ${this.contextSize} (shorten it or load with a larger contextSize)`,
        );
      const e = await this.context.getEmbeddingFor(t);
      out.set(e.vector, i * this.dim);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }
}
