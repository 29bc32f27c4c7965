import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormatError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import {
  LocalProvider,
  OpenAIProvider,
  VERDICTS,
  answerOpenItems,
  gradeOpenResponses,
  loadMcq,
  parseJudgement,
  type OpenItem,
} from '../src/index.js';
import { startServer, type TestServer } from './support/openai-server.js';

describe('parseJudgement', () => {
  it('reads the first JSON object, inside fences or prose', () => {
    expect(parseJudgement('{"verdict": "correct", "score": 5}')).toEqual({ verdict: 'correct', score: 5 });
    expect(parseJudgement('Sure!\n```json\n{"score": 2, "verdict": "partially_correct", "note": "a {brace}"}\n```')).toEqual({
      verdict: 'partially_correct',
      score: 2,
    });
  });
  it('says what is wrong with a bad reply', () => {
    expect(() => parseJudgement('Once upon a time')).toThrow(FormatError);
    expect(() => parseJudgement('{"verdict": "great", "score": 3}')).toThrow(
      /verdict "great" is not one of correct, partially_correct, incorrect/,
    );
    expect(() => parseJudgement('{"verdict": "correct", "score": 7}')).toThrow(/score 7 is not an integer in 0..5/);
    expect(() => parseJudgement('{"verdict": "correct", "score": 3')).toThrow(/unterminated JSON object/);
  });
});

describe('LLM-as-judge with the real local model (grammar-constrained JSON)', () => {
  let judge: LocalProvider;
  let server: TestServer;
  let items: OpenItem[];
  beforeAll(async () => {
    judge = await LocalProvider.load(dataPath('llm', 'stories260K.gguf'), { threads: 1 });
    server = await startServer(judge);
    // Open-response items from real Astro-QA questions: the reference is the correct option and
    // the published explanation; the rubric asks for that option's content.
    const mcq = await loadMcq(dataPath('llm', 'astro-qa-en.json'), { limit: 3, onInvalid: () => {} });
    items = mcq.map((q) => ({
      id: q.id,
      question: q.question,
      reference: `${q.choices[q.answerIndex]}. ${q.explanation ?? ''}`.trim(),
      rubric: [`States that the answer is: ${q.choices[q.answerIndex]}`, 'Gives a physically correct justification'],
    }));
  });
  afterAll(async () => {
    await server?.close();
    await judge?.close();
  });

  it('repeated judging yields valid structured judgements, majority verdicts and agreement statistics', async () => {
    const answers = await answerOpenItems(items, judge, { maxTokens: 16 });
    expect(answers.size).toBe(3);
    const { items: graded, agreement } = await gradeOpenResponses({
      items: items.slice(0, 2),
      answers,
      judge,
      repeats: 3,
      temperature: 0.9,
      seed: 11,
    });
    expect(agreement.total).toBe(6);
    expect(agreement.invalid).toBe(0); // the grammar forces schema-valid JSON even from a 260k-parameter model
    for (const g of graded) {
      expect(g.judgements).toHaveLength(3);
      expect(VERDICTS).toContain(g.verdict);
      expect(g.score).toBeGreaterThanOrEqual(0);
      expect(g.score).toBeLessThanOrEqual(5);
      expect(g.usage.completionTokens).toBeGreaterThan(0);
    }
    expect(agreement.unanimity).toBeGreaterThanOrEqual(0);
    expect(agreement.unanimity).toBeLessThanOrEqual(1);
    expect(agreement.fleissKappa).toBeLessThanOrEqual(1);
    expect(Number.isFinite(agreement.meanScoreSd)).toBe(true);
    // seeded: the same call gives the same judgements
    const again = await gradeOpenResponses({ items: items.slice(0, 2), answers, judge, repeats: 3, temperature: 0.9, seed: 11 });
    expect(again.items.map((g) => g.judgements)).toEqual(graded.map((g) => g.judgements));
  });

  it('the same judge over HTTP with response_format json_schema gives the same judgements', async () => {
    const answers = new Map(items.slice(0, 1).map((i) => [i.id, 'A constellation']));
    const http = new OpenAIProvider({ baseUrl: server.url, model: 'stories260K', api: 'chat' });
    const a = await gradeOpenResponses({ items: items.slice(0, 1), answers, judge: http, repeats: 2, seed: 5 });
    const b = await gradeOpenResponses({ items: items.slice(0, 1), answers, judge, repeats: 2, seed: 5 });
    expect(a.agreement.invalid).toBe(0);
    expect(a.items[0]!.judgements).toEqual(b.items[0]!.judgements);
  });
});
