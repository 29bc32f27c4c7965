import { ValueError } from '@astro/core';
import type { RenderedPrompt } from '@astro/llm-eval';
import type { LiteratureIndex, SearchOptions } from '../index/literature-index.js';
import { Bm25Index } from '../retrieval/bm25.js';
import { DenseIndex } from '../retrieval/dense.js';
import { chunkRecords, type Chunk } from './chunks.js';
import { filterCitations } from './citations.js';
import { hydeDocuments, hydeVector, type HydeOptions } from './hyde.js';
import { complete, type LlmOptions } from './llm.js';

/** Options of {@link ask}. */
export interface AskOptions {
  /** Chunks given to the model (default 6, Pathfinder's k). */
  k?: number;
  /** Chunk size and overlap in characters (default 150 and 50, Pathfinder's). */
  chunkSize?: number;
  chunkOverlap?: number;
  /** Records retrieved before chunking (default 20). */
  records?: number;
  /** Search options for the record retrieval (mode, re-weighting). */
  search?: SearchOptions;
  /** Use HyDE for the retrieval (needs an embedder). */
  hyde?: boolean | HydeOptions;
  /** Tokens of the answer (default 256). */
  maxTokens?: number;
  temperature?: number;
}

/** An answer with its evidence. */
export interface AskResult {
  question: string;
  /** The answer, citations that name no retrieved record removed. */
  answer: string;
  /** The model's text before citation filtering. */
  rawAnswer: string;
  /** Retrieved bibcodes the answer cites. */
  citations: string[];
  /** Cited identifiers that named no retrieved record (removed from `answer`). */
  removedCitations: string[];
  /** The chunks shown to the model, best first. */
  chunks: (Chunk & { score: number })[];
  /** Hypothetical documents used for retrieval (HyDE), if any. */
  hypothetical: string[];
  prompt: RenderedPrompt;
}

/** The answering prompt: numbered excerpts with their bibcodes, and the citation rule. */
export function askPrompt(question: string, chunks: readonly Chunk[]): RenderedPrompt {
  const context = chunks.map((c) => `[${c.bibcode}] ${c.text}`).join('\n');
  return {
    system:
      'You are an expert astronomer answering questions from the literature. Use only the excerpts below. Cite every claim with the bibcode of its excerpt in square brackets, e.g. [2020A&A...641A...6P]. If the excerpts do not answer the question, say so.',
    user: `Excerpts:\n${context}\n\nQuestion: ${question}\nAnswer:`,
  };
}

/**
 * Retrieval-augmented answer (Pathfinder's `ask`): retrieve records (optionally with HyDE),
 * split their abstracts into 150-character chunks overlapping by 50, keep the k = 6 chunks
 * closest to the question (cosine with the index's embedder, else BM25 over the chunks),
 * let the LLM answer citing bibcodes in brackets, then remove and report citations that do
 * not name a retrieved record.
 * @throws {ValueError} for an empty question; the provider's `ValueError` when the prompt
 *   does not fit the model's context.
 */
export async function ask(index: LiteratureIndex, question: string, llm: LlmOptions, opts: AskOptions = {}): Promise<AskResult> {
  if (typeof question !== 'string' || question.trim() === '') throw new ValueError('ask: the question is empty');
  const k = opts.k ?? 6;
  if (!(Number.isInteger(k) && k >= 1)) throw new ValueError(`ask: k must be a positive integer, got ${k}`);
  let hypothetical: string[] = [];
  const search: SearchOptions = { ...opts.search, k: opts.records ?? 20 };
  if (opts.hyde) {
    if (!index.embedder) throw new ValueError('ask: HyDE needs an index with an embedder');
    hypothetical = await hydeDocuments(question, llm, typeof opts.hyde === 'object' ? opts.hyde : {});
    search.queryVector = await hydeVector(question, hypothetical, index.embedder);
    search.mode ??= 'dense';
  }
  const hits = await index.search(question, search);
  const chunks = chunkRecords(
    hits.map((h) => h.record),
    opts.chunkSize ?? 150,
    opts.chunkOverlap ?? 50,
  );
  let ranked: (Chunk & { score: number })[];
  if (chunks.length === 0) ranked = [];
  else if (index.embedder) {
    const vecs = await index.embedder.embed(
      chunks.map((c) => c.text),
      { role: 'document' },
    );
    const dense = new DenseIndex(vecs.length / chunks.length, chunks.length);
    dense.add(
      chunks.map((_, i) => String(i)),
      vecs,
    );
    const [top] = await dense.search(search.queryVector ?? (await index.embedQuery(question)), k);
    ranked = top!.map((h) => ({ ...chunks[Number(h.id)]!, score: h.score }));
  } else {
    const bm = new Bm25Index();
    bm.add(chunks.map((c, i) => ({ id: String(i), text: c.text })));
    ranked = bm.search(question, k).map((h) => ({ ...chunks[Number(h.id)]!, score: h.score }));
  }
  const prompt = askPrompt(question, ranked);
  const rawAnswer = await complete(llm, prompt, { maxTokens: opts.maxTokens ?? 256, temperature: opts.temperature ?? 0 });
  const check = filterCitations(
    rawAnswer,
    ranked.map((c) => c.bibcode),
  );
  return {
    question,
    answer: check.text.trim(),
    rawAnswer,
    citations: check.kept,
    removedCitations: check.removed,
    chunks: ranked,
    hypothetical,
    prompt,
  };
}
