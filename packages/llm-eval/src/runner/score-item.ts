import type { McqItem } from '../datasets/types.js';
import type { Provider, Sampling } from '../providers/types.js';
import { extractAnswer } from '../scoring/extract.js';
import { combineLetterMass, letterMass } from '../scoring/letters.js';
import { argmax, loglikChoice } from '../scoring/select.js';
import { renderMcq } from '../templates/render.js';
import type { PromptTemplate } from '../templates/types.js';
import type { ItemResult, Scoring } from './types.js';

/**
 * Make one provider call through the runner's cache, limiter and retries. `method` and
 * `request` form the cache key; `fn` performs the call with the attempt's abort signal.
 */
export type ItemCaller = <T>(method: string, request: unknown, fn: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/** Probability below which a whitespace token after the answer prefix is not expanded. */
export const WHITESPACE_EXPANSION_THRESHOLD = 1e-3;

/** Score one item; the runner adds latency, attempts and cache status. */
export async function scoreItem(args: {
  item: McqItem;
  provider: Provider;
  template: PromptTemplate;
  scoring: Scoring;
  sampling: Sampling;
  topLogprobs: number;
  call: ItemCaller;
}): Promise<Omit<ItemResult, 'latencyMs' | 'attempts' | 'cached'>> {
  const { item, provider, template, scoring, sampling, topLogprobs, call } = args;
  const n = item.choices.length;
  const base = { id: item.id, ...(item.topic ? { topic: item.topic } : {}), answerIndex: item.answerIndex, scoring };

  if (scoring === 'extract') {
    const prompt = renderMcq(template, item, false);
    const g = await call('generate', { prompt, sampling }, (signal) => provider.generate(prompt, sampling, { signal }));
    const ex = extractAnswer(g.text, item.choices);
    return {
      ...base,
      predicted: ex.index,
      correct: ex.index === item.answerIndex,
      confidence: null,
      text: g.text,
      extraction: ex.method,
      usage: g.usage,
    };
  }

  if (scoring === 'logprob') {
    const prompt = renderMcq(template, item, true);
    const first = await call('nextTokens', { prompt, topLogprobs }, (signal) => provider.nextTokens!(prompt, topLogprobs, { signal }));
    const m1 = letterMass(first.tokens, n);
    const usage = { ...first.usage };
    let combined = combineLetterMass(m1, undefined, 0);
    if (m1.whitespace !== undefined) {
      const ws = m1.whitespace;
      const wsProb = first.tokens.filter((t) => t.text === ws).reduce((s, t) => s + Math.exp(t.logprob), 0);
      if (wsProb >= WHITESPACE_EXPANSION_THRESHOLD) {
        const p2 = { ...prompt, prefill: (prompt.prefill ?? '') + ws };
        const second = await call('nextTokens', { prompt: p2, topLogprobs }, (signal) => provider.nextTokens!(p2, topLogprobs, { signal }));
        usage.promptTokens += second.usage.promptTokens;
        usage.completionTokens += second.usage.completionTokens;
        combined = combineLetterMass(m1, letterMass(second.tokens, n), wsProb);
      }
    }
    const predicted = argmax(combined.raw);
    return {
      ...base,
      predicted,
      correct: predicted === item.answerIndex,
      confidence: predicted === null ? null : combined.probs[predicted]!,
      optionProbs: combined.probs,
      optionRawProbs: combined.raw,
      letterMass: combined.letterMass,
      usage,
    };
  }

  // loglik: log-likelihood of each option's text after the answer prefix
  const prompt = renderMcq(template, item, true);
  const conts = item.choices.map((c) => ` ${c}`);
  const lls = [];
  for (let i = 0; i < n; i++) {
    lls.push(
      await call('loglikelihood', { prompt, continuation: conts[i] }, (signal) => provider.loglikelihood!(prompt, conts[i]!, { signal })),
    );
  }
  const logprobs = lls.map((l) => l.logprob);
  const { acc, accNorm } = loglikChoice(logprobs, conts);
  const mx = Math.max(...logprobs);
  const w = logprobs.map((l) => Math.exp(l - mx));
  const z = w.reduce((a, b) => a + b, 0);
  const probs = w.map((x) => x / z);
  return {
    ...base,
    predicted: acc,
    correct: acc === item.answerIndex,
    confidence: acc === null ? null : probs[acc]!,
    optionProbs: probs,
    optionLogprobs: logprobs,
    predictedNorm: accNorm,
    usage: {
      promptTokens: lls.reduce((s, l) => s + l.usage.promptTokens, 0),
      completionTokens: lls.reduce((s, l) => s + l.usage.completionTokens, 0),
    },
  };
}
