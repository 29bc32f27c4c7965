import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPath } from '@astro/core/data';
import {
  LocalProvider,
  OpenAIProvider,
  ProviderError,
  loadMcq,
  openProvider,
  renderMcq,
  runEval,
  PLAIN,
  type ItemResult,
  type McqItem,
  type RunOptions,
} from '../src/index.js';
import { promptKey, startServer, type TestServer } from './support/openai-server.js';

// Real end to end: the same GGUF model in-process and behind a real OpenAI-compatible HTTP
// server on 127.0.0.1, with faults injected between them.
const here = dirname(fileURLToPath(import.meta.url));
const DATASET = dataPath('llm', 'astro-qa-en.json');
const quiet = { update() {}, finish() {} };
let local: LocalProvider;
let server: TestServer;
let items: McqItem[];
let dir: string;
let reference: ItemResult[];
let httpReference: ItemResult[];

const lines = (p: string): string[] =>
  readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
const common = (): Pick<RunOptions, 'datasetPath' | 'scoring' | 'template' | 'topLogprobs' | 'progress'> => ({
  datasetPath: DATASET,
  scoring: 'logprob',
  template: 'plain',
  topLogprobs: 512,
  progress: quiet,
});

beforeAll(async () => {
  local = await LocalProvider.load(dataPath('llm', 'stories260K.gguf'), { threads: 1 });
  server = await startServer(local);
  items = await loadMcq(DATASET, { limit: 10, onInvalid: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'llm-eval-http-'));
  reference = (await runEval({ ...common(), items, provider: local, outDir: join(dir, 'local'), cacheDir: false })).results;
});
afterAll(async () => {
  await server?.close();
  await local?.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectSameProbabilities(a: ItemResult[], b: ItemResult[], digits = 8): void {
  expect(a.map((r) => r.id)).toEqual(b.map((r) => r.id));
  a.forEach((r, i) => {
    expect(r.predicted).toBe(b[i]!.predicted);
    r.optionProbs!.forEach((p, k) => expect(p).toBeCloseTo(b[i]!.optionProbs![k]!, digits));
  });
}

describe('OpenAI-compatible HTTP provider against the local server', () => {
  it('completions API: the same option probabilities as the in-process model', async () => {
    const provider = await openProvider(`openai-completions:${server.url}#stories260K`);
    const run = await runEval({ ...common(), items, provider, outDir: join(dir, 'http-completions'), cacheDir: false });
    httpReference = run.results;
    // The legacy completions format returns top_logprobs as a {text: logprob} object, so two
    // vocabulary entries with the same text (this model has two "B" tokens) keep only the more
    // probable one: agreement is to ~1e-5 here, and exact through the chat API's list below.
    expectSameProbabilities(run.results, reference, 4);
    expect(run.results[0]!.usage.promptTokens).toBe(reference[0]!.usage.promptTokens);
  });

  it('chat API with top_logprobs and an assistant prefill: the same probabilities', async () => {
    const provider = new OpenAIProvider({ baseUrl: server.url, model: 'stories260K', api: 'chat', prefillAssistant: true });
    const run = await runEval({ ...common(), items: items.slice(0, 4), provider, outDir: join(dir, 'http-chat'), cacheDir: false });
    expectSameProbabilities(run.results, reference.slice(0, 4));
  });

  it('chat API generation for answer extraction matches in-process greedy decoding', async () => {
    const provider = await openProvider(`openai:${server.url}#stories260K`);
    const opts = {
      datasetPath: DATASET,
      scoring: 'extract' as const,
      template: 'astromlab1',
      sampling: { maxTokens: 16 },
      cacheDir: false as const,
      progress: quiet,
    };
    const a = await runEval({ ...opts, items: items.slice(0, 2), provider, outDir: join(dir, 'chat-extract') });
    const b = await runEval({ ...opts, items: items.slice(0, 2), provider: local, outDir: join(dir, 'local-extract') });
    expect(a.results.map((r) => r.text)).toEqual(b.results.map((r) => r.text));
    expect(a.results.map((r) => r.usage)).toEqual(b.results.map((r) => r.usage));
  });

  it('echo log-likelihoods over HTTP equal the in-process ones', async () => {
    const provider = new OpenAIProvider({ baseUrl: server.url, model: 'stories260K', api: 'completions' });
    const prompt = renderMcq(PLAIN, items[0]!, true);
    for (const cont of [' A', ` ${items[0]!.choices[1]}`]) {
      const a = await provider.loglikelihood(prompt, cont);
      const b = await local.loglikelihood(prompt, cont);
      expect(a.tokens).toBe(b.tokens);
      expect(a.logprob).toBeCloseTo(b.logprob, 5);
    }
  });

  it('client errors are not retried and say what happened', async () => {
    const provider = new OpenAIProvider({ baseUrl: server.url.replace('/v1', '/v2'), model: 'm', api: 'completions' });
    const err = await provider.generate({ user: 'x' }, { maxTokens: 1, temperature: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).status).toBe(404);
    expect((err as ProviderError).retryable).toBe(false);
    expect(() => new OpenAIProvider({ baseUrl: 'localhost:1', model: 'm' })).toThrow(/must start with http/);
    await expect(openProvider('openai:http://x/v1')).rejects.toThrow(/needs #MODEL/);
  });
});

describe('fault injection between the runner and the server', () => {
  it('429s, 500s, slow responses, malformed JSON and dropped connections lose no item and count none twice', async () => {
    const kinds = ['429', '500', 'malformed', 'drop', 'slow'] as const;
    server.setFaults((n) => {
      if (n % 3 !== 1) return undefined; // every third request fails, cycling through the kinds
      const kind = kinds[Math.floor(n / 3) % kinds.length]!;
      return kind === 'slow' ? { kind, ms: 1500 } : kind === '429' ? { kind, retryAfterS: 0 } : { kind };
    });
    const before = { ...server.stats, served: server.stats.served };
    try {
      const provider = new OpenAIProvider({ baseUrl: server.url, model: 'stories260K', api: 'completions' });
      const out = join(dir, 'faults');
      const run = await runEval({
        ...common(),
        items,
        provider,
        outDir: out,
        concurrency: 3,
        retry: { baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 800, maxRetries: 8 },
      });
      expectSameProbabilities(run.results, httpReference);
      expect(lines(join(out, 'results.jsonl'))).toHaveLength(10);
      for (const k of kinds) expect(server.stats.faults[k] ?? 0).toBeGreaterThan(0);
      expect(run.metrics.retries).toBeGreaterThanOrEqual(5);
      expect(server.stats.served - before.served).toBeGreaterThanOrEqual(10);
    } finally {
      server.setFaults(undefined);
    }
  });

  it('a client process killed mid-run resumes without redoing or losing any item', async () => {
    const out = join(dir, 'killed');
    const results = join(out, 'results.jsonl');
    server.setFaults(() => ({ kind: 'slow', ms: 150 })); // slow enough to kill it part-way
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'support', 'child-run.ts'), server.url, out, '10'], {
      env: { ...process.env, TSX_TSCONFIG_PATH: join(here, 'support', 'tsconfig.child.json') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((r) => child.on('exit', (code, sig) => r(sig ?? code)));
    const deadline = Date.now() + 120_000;
    while (!(existsSync(results) && lines(results).length >= 3)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child did not make progress: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    server.setFaults(undefined);
    const doneBefore = lines(results).map((l) => (JSON.parse(l) as ItemResult).id);
    expect(doneBefore.length).toBeGreaterThanOrEqual(3);
    expect(doneBefore.length).toBeLessThan(10);

    const servedBefore = new Map(server.stats.servedByPrompt);
    const provider = new OpenAIProvider({ baseUrl: server.url, model: 'stories260K', api: 'completions' });
    const run = await runEval({ ...common(), items, provider, outDir: out, concurrency: 2 });
    expect(run.evaluatedNow).toBe(10 - doneBefore.length);
    const ids = lines(results).map((l) => (JSON.parse(l) as ItemResult).id);
    expect(ids.length).toBe(10);
    expect(new Set(ids).size).toBe(10);
    expectSameProbabilities(run.results, httpReference);
    // no item finished before the kill was requested again after it
    for (const id of doneBefore) {
      const key = promptKey({ prompt: `${renderMcqText(items.find((i) => i.id === id)!)}` });
      expect(server.stats.servedByPrompt.get(key)).toBe(servedBefore.get(key));
    }
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.resumed).toHaveLength(1);
  });
});

function renderMcqText(item: McqItem): string {
  const p = renderMcq(PLAIN, item, true);
  return `${p.user}\n${p.prefill}`;
}
