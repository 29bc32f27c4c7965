import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPath } from '@astro/core/data';
import {
  LocalProvider,
  ProviderError,
  extractAnswer,
  loadMcq,
  readResults,
  renderMcq,
  runEval,
  PLAIN,
  type McqItem,
} from '../src/index.js';

// The real tiny llama model (260k parameters) through node-llama-cpp on the CPU.
const MODEL = dataPath('llm', 'stories260K.gguf');
const DATASET = dataPath('llm', 'astro-qa-en.json');
const quiet = { update() {}, finish() {} };
let provider: LocalProvider;
let items: McqItem[];
let dir: string;

beforeAll(async () => {
  // One thread: llama.cpp's spinning worker threads collapse on a shared, oversubscribed CPU.
  provider = await LocalProvider.load(MODEL, { sequences: 2, threads: 1 });
  items = await loadMcq(DATASET, { limit: 12, onInvalid: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'llm-eval-local-'));
});
afterAll(async () => {
  await provider?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('LocalProvider (node-llama-cpp, stories260K.gguf)', () => {
  it('returns the full next-token distribution, which sums to 1', async () => {
    const r = await provider.nextTokens(renderMcq(PLAIN, items[0]!, true), 100_000);
    expect(r.tokens).toHaveLength(512); // the model's vocabulary
    const total = r.tokens.reduce((s, t) => s + Math.exp(t.logprob), 0);
    expect(total).toBeCloseTo(1, 5);
    expect(r.tokens[0]!.logprob).toBeGreaterThanOrEqual(r.tokens[1]!.logprob);
    expect(r.usage.promptTokens).toBeGreaterThan(50);
  });

  it('continuation log-likelihood obeys the chain rule through the split " " + "A" tokens', async () => {
    const prompt = renderMcq(PLAIN, items[0]!, true); // ends with "Answer:"
    const first = await provider.nextTokens(prompt, 100_000);
    const second = await provider.nextTokens({ ...prompt, prefill: prompt.prefill + ' ' }, 100_000);
    const pSpace = Math.exp(first.tokens.find((t) => t.text === ' ')!.logprob);
    const pA = Math.exp(second.tokens.find((t) => t.text === 'A')!.logprob);
    const ll = await provider.loglikelihood(prompt, ' A');
    expect(ll.tokens).toBe(2); // SentencePiece: '▁' then 'A'
    expect(Math.exp(ll.logprob) / (pSpace * pA)).toBeCloseTo(1, 5);
  });

  it('is deterministic whatever the sequence held before', async () => {
    const a = await provider.nextTokens(renderMcq(PLAIN, items[1]!, true), 20);
    await provider.generate(renderMcq(PLAIN, items[2]!, false), { maxTokens: 8, temperature: 0 });
    const b = await provider.nextTokens(renderMcq(PLAIN, items[1]!, true), 20);
    expect(b).toEqual(a);
  });

  it('gives clear errors for a missing file and an over-long prompt', async () => {
    await expect(LocalProvider.load('/nonexistent/model.gguf')).rejects.toThrow(ProviderError);
    const long = { user: 'star '.repeat(3000) };
    await expect(provider.nextTokens(long, 5)).rejects.toThrow(/does not fit the 2048-token context/);
  });
});

describe('runEval with the local model on Astro-QA', () => {
  it('logprob scoring: option probabilities, metrics, manifest; a rerun resumes with nothing to do', async () => {
    const out = join(dir, 'logprob');
    const run = await runEval({
      items,
      datasetPath: DATASET,
      provider,
      outDir: out,
      scoring: 'logprob',
      template: 'plain',
      topLogprobs: 512,
      concurrency: 2,
      progress: quiet,
    });
    expect(run.results).toHaveLength(12);
    expect(run.evaluatedNow).toBe(12);
    for (const r of run.results) {
      expect(r.optionProbs).toHaveLength(4);
      expect(r.optionProbs!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(r.letterMass!).toBeGreaterThan(0.01); // the split " " + letter path carries real mass
      expect(r.letterMass!).toBeLessThanOrEqual(1 + 1e-9);
      expect(r.confidence).toBe(Math.max(...r.optionProbs!));
      expect(r.correct).toBe(r.predicted === r.answerIndex);
    }
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.n).toBe(12);
    expect(m.accuracy.accuracy).toBeCloseTo(run.results.filter((r) => r.correct).length / 12, 15);
    expect(m.calibration.reliability).toHaveLength(10);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.template.name).toBe('plain');
    expect(manifest.versions['node-llama-cpp']).toBe('3.21.1');
    expect(manifest.model.identity).toMatch(/^gguf:stories260K\.gguf:[0-9a-f]{16}$/);

    const again = await runEval({
      items,
      datasetPath: DATASET,
      provider,
      outDir: out,
      scoring: 'logprob',
      template: 'plain',
      topLogprobs: 512,
      progress: quiet,
    });
    expect(again.evaluatedNow).toBe(0);
    expect(again.results).toEqual(run.results);
    expect(readResults(join(out, 'results.jsonl'))).toHaveLength(12);
    // a different configuration in the same folder is refused
    await expect(
      runEval({ items, datasetPath: DATASET, provider, outDir: out, scoring: 'logprob', template: 'mmlu', progress: quiet }),
    ).rejects.toThrow(/different model, dataset, template/);
  });

  it('the content-addressed cache answers a fresh run without calling the model', async () => {
    const cacheDir = join(dir, 'logprob', 'cache');
    const run = await runEval({
      items: items.slice(0, 6),
      datasetPath: DATASET,
      provider,
      outDir: join(dir, 'cached'),
      cacheDir,
      scoring: 'logprob',
      template: 'plain',
      topLogprobs: 512,
      progress: quiet,
    });
    expect(run.results.every((r) => r.cached)).toBe(true);
    expect(run.metrics.cached).toBe(6);
  });

  it('extract scoring: generated text, the extraction rule used, and consistent correctness', async () => {
    const run = await runEval({
      items: items.slice(0, 4),
      datasetPath: DATASET,
      provider,
      outDir: join(dir, 'extract'),
      scoring: 'extract',
      template: 'astromlab1',
      sampling: { maxTokens: 24 },
      cacheDir: false,
      progress: quiet,
    });
    for (const r of run.results) {
      expect(typeof r.text).toBe('string');
      expect(r.usage.completionTokens).toBeGreaterThan(0);
      expect(r.usage.completionTokens).toBeLessThanOrEqual(24);
      const item = items.find((i) => i.id === r.id)!;
      expect(r.predicted).toBe(extractAnswer(r.text!, item.choices).index);
      expect(r.extraction).toBe(extractAnswer(r.text!, item.choices).method);
    }
    expect(run.metrics.extraction).toBeDefined();
  });

  it('loglik scoring: acc and acc_norm from option log-likelihoods', async () => {
    // With two sequences, concurrent requests share one llama.cpp batch and the last float bits
    // depend on what shared it (seen in CI: 1.5e-4 relative). One sequence evaluates each request
    // alone, so the runner's numbers must equal a direct call exactly.
    const single = await LocalProvider.load(MODEL, { sequences: 1, threads: 1 });
    try {
      const run = await runEval({
        items: items.slice(0, 3),
        datasetPath: DATASET,
        provider: single,
        outDir: join(dir, 'loglik'),
        scoring: 'loglik',
        template: 'plain',
        cacheDir: false,
        progress: quiet,
      });
      const r = run.results[0]!;
      const item = items[0]!;
      const direct = await single.loglikelihood(renderMcq(PLAIN, item, true), ` ${item.choices[2]}`);
      expect(r.optionLogprobs![2]).toBeCloseTo(direct.logprob, 9);
      // the batched two-sequence provider agrees to batch-composition rounding
      const batched = await provider.loglikelihood(renderMcq(PLAIN, item, true), ` ${item.choices[2]}`);
      expect(Math.abs(batched.logprob - direct.logprob)).toBeLessThan(1e-3 * Math.abs(direct.logprob));
      const enc = new TextEncoder();
      const norm = r.optionLogprobs!.map((l, i) => l / enc.encode(` ${item.choices[i]}`).length);
      expect(r.predictedNorm).toBe(norm.indexOf(Math.max(...norm)));
      expect(r.predicted).toBe(r.optionLogprobs!.indexOf(Math.max(...r.optionLogprobs!)));
      expect(run.metrics.accuracyNorm?.n).toBe(3);
    } finally {
      await single.close();
    }
  });
});
