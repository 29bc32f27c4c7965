import type { RenderedPrompt } from '@astro/llm-eval';
import type { Candidate } from '../scoring/reweight.js';
import { plainText } from '../text/clean.js';
import { complete, type LlmOptions } from './llm.js';

/** The pointwise relevance prompt for one candidate (answer: one digit, 0–9). */
export function rerankPrompt(query: string, c: Candidate, maxChars = 1200): RenderedPrompt {
  return {
    system:
      'You are an expert astronomer judging search results. Rate how relevant the paper is to the query on a scale from 0 (irrelevant) to 9 (exactly what the query asks for). Reply with one digit.',
    user: `Query: ${query}\n\nPaper: ${c.record.title}\n${plainText(c.record.abstract).slice(0, maxChars)}\n\nRelevance (0-9):`,
  };
}

/** Options of {@link rerank}. */
export interface RerankOptions {
  /** Candidates judged (default 250, Pathfinder's re-ranking depth); the rest keep their order after them. */
  top?: number;
  /** Characters of each abstract shown (default 1200). */
  maxChars?: number;
  /** Next tokens asked for when the provider gives probabilities (default 100; GGUF models give the whole vocabulary). */
  topTokens?: number;
}

/** A re-ranked candidate: its LLM relevance (NaN when the model gave no digit) and its rank before. */
export interface Reranked extends Candidate {
  relevance: number;
  previousRank: number;
}

/**
 * Pointwise LLM re-ranking (as in RankGPT's pointwise baseline; Pathfinder calls a hosted
 * reranker here). When the provider exposes next-token probabilities (in-process GGUF), the
 * relevance is the expected digit Σ d·p(d)/Σ p(d) over the digits 0–9; otherwise the first
 * digit of a short greedy completion. Candidates are sorted by relevance (ties and
 * unparseable replies keep their previous order, after those with a relevance).
 */
export async function rerank(
  query: string,
  candidates: readonly Candidate[],
  llm: LlmOptions,
  opts: RerankOptions = {},
): Promise<Reranked[]> {
  const top = Math.min(opts.top ?? 250, candidates.length);
  const judged: Reranked[] = [];
  for (let i = 0; i < top; i++) {
    const c = candidates[i]!;
    const prompt = rerankPrompt(query, c, opts.maxChars);
    let relevance = NaN;
    if (llm.provider.nextTokens) {
      await llm.rateLimit?.acquire();
      const { tokens } = await llm.provider.nextTokens(prompt, opts.topTokens ?? 100, llm.signal ? { signal: llm.signal } : {});
      let num = 0;
      let den = 0;
      for (const t of tokens) {
        const d = t.text.trim();
        if (/^[0-9]$/.test(d)) {
          const p = Math.exp(t.logprob);
          num += Number(d) * p;
          den += p;
        }
      }
      if (den > 0) relevance = num / den;
    } else {
      const text = await complete(llm, prompt, { maxTokens: 3, temperature: 0 });
      const m = /[0-9]/.exec(text);
      if (m) relevance = Number(m[0]);
    }
    judged.push({ ...c, relevance, previousRank: i + 1 });
  }
  judged.sort((a, b) => {
    const ra = Number.isNaN(a.relevance) ? -1 : a.relevance;
    const rb = Number.isNaN(b.relevance) ? -1 : b.relevance;
    return rb - ra || a.previousRank - b.previousRank;
  });
  const rest = candidates.slice(top).map((c, i) => ({ ...c, relevance: NaN, previousRank: top + i + 1 }));
  return [...judged, ...rest];
}
