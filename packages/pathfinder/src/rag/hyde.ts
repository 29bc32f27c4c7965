import { ValueError } from '@astro/core';
import type { RenderedPrompt } from '@astro/llm-eval';
import type { EmbeddingProvider } from '../embed/provider.js';
import { complete, type LlmOptions } from './llm.js';

/** Pathfinder's HyDE instruction (Gao et al. 2022, "Precise Zero-Shot Dense Retrieval without Relevance Labels"). */
export function hydePrompt(question: string, maxTokens = 250): RenderedPrompt {
  return {
    system: `You are an expert astronomer. Given a scientific query, generate the abstract of an expert-level research paper that answers the question. Stick to a maximum length of ${maxTokens} tokens and return just the text of the abstract and conclusion. Do not include labels for any section. Use research-specific jargon.`,
    user: question,
  };
}

/** Options of {@link hydeDocuments}. */
export interface HydeOptions {
  /** Hypothetical documents (default 1). */
  n?: number;
  /** Token limit of each (default 250, Pathfinder's). */
  maxTokens?: number;
  /** Sampling temperature (default 0 for one document, 0.7 for several, each with its own seed). */
  temperature?: number;
  seed?: number;
}

/** Hypothetical abstracts answering `question`, written by the LLM. */
export async function hydeDocuments(question: string, llm: LlmOptions, opts: HydeOptions = {}): Promise<string[]> {
  const n = opts.n ?? 1;
  if (!(Number.isInteger(n) && n >= 1)) throw new ValueError(`hydeDocuments: n must be a positive integer, got ${n}`);
  const maxTokens = opts.maxTokens ?? 250;
  const temperature = opts.temperature ?? (n > 1 ? 0.7 : 0);
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(await complete(llm, hydePrompt(question, maxTokens), { maxTokens, temperature, seed: (opts.seed ?? 0) + i }));
  return out;
}

/**
 * HyDE query vector: the mean of the embeddings of the hypothetical documents and of the
 * question itself (Pathfinder's choice), length dim. Empty documents are skipped.
 */
export async function hydeVector(question: string, documents: readonly string[], embedder: EmbeddingProvider): Promise<Float32Array> {
  const texts = [question, ...documents.filter((d) => d.trim() !== '')];
  const e = await embedder.embed(texts, { role: 'query' });
  const dim = e.length / texts.length;
  const mean = new Float32Array(dim);
  for (let i = 0; i < texts.length; i++) for (let j = 0; j < dim; j++) mean[j]! += e[i * dim + j]! / texts.length;
  return mean;
}
