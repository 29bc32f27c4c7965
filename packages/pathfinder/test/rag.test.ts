import { existsSync } from 'node:fs';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileError, ValueError, ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { openProvider, type Provider } from '@astro/llm-eval';
import {
  LiteratureIndex,
  LlamaEmbeddings,
  TransformersEmbeddings,
  LocalEncoderProvider,
  OpenAIEmbeddings,
  PathfinderTextEncoder,
  SubwordTokenizer,
  ask,
  chunkText,
  filterCitations,
  hydeDocuments,
  hydePrompt,
  hydeVector,
  readCorpus,
  rerank,
  type LiteratureRecord,
} from '../src/index.js';
import { adsPath } from './data.js';
import { json, loopback } from './loopback.js';

describe('chunks and citations', () => {
  it('chunks 150 characters every 100 (overlap 50), the last reaching the end', () => {
    const text = 'x'.repeat(420);
    const c = chunkText(text);
    expect(c.map((x) => x.start)).toEqual([0, 100, 200, 300]);
    expect(c.map((x) => x.text.length)).toEqual([150, 150, 150, 120]);
    expect(chunkText('short')).toEqual([{ start: 0, text: 'short' }]);
    expect(() => chunkText('x', 10, 10)).toThrow(ValueError);
  });
  it('removes citations that name no retrieved record, and reports them', () => {
    const r = filterCitations('Ω is 0.12 [2020A&A...641A...6P]. Dark energy [1998AJ....116.1009R; fake2024]. Also [made-up].', [
      '2020A&A...641A...6P',
      '1998AJ....116.1009R',
    ]);
    expect(r.text).toBe('Ω is 0.12 [2020A&A...641A...6P]. Dark energy [1998AJ....116.1009R]. Also.');
    expect(r.kept).toEqual(['2020A&A...641A...6P', '1998AJ....116.1009R']);
    expect(r.removed).toEqual(['fake2024', 'made-up']);
  });
});

const path = adsPath();
describe.runIf(path)('HyDE, rerank and ask with real providers', () => {
  let records: LiteratureRecord[];
  let index: LiteratureIndex;
  let server: Awaited<ReturnType<typeof loopback>>;
  const seen: { path: string; body: Record<string, unknown> }[] = [];
  let fail = 1;
  beforeAll(async () => {
    await ready({ backend: 'wasm' });
    records = (await readCorpus(path!)).records;
    const tok = SubwordTokenizer.train(
      records.map((r) => r.abstract),
      { vocabSize: 600 },
    );
    index = new LiteratureIndex({
      embedder: new LocalEncoderProvider(new PathfinderTextEncoder(tok, { width: 16, dim: 16, seed: 2 }), 'rag'),
    });
    await index.upsert(records);
    // an OpenAI-compatible stand-in: chat answers cite the first excerpt's bibcode and an invented one;
    // embeddings are 3-d vectors from the text length; the first embeddings call fails with 503
    server = await loopback((p, body, _req, res) => {
      const b = body as Record<string, unknown>;
      seen.push({ path: p, body: b });
      if (p === '/v1/chat/completions') {
        const msgs = b['messages'] as { role: string; content: string }[];
        const user = msgs.find((m) => m.role === 'user')!.content;
        const m = /\[([^\]]+)\]/.exec(user);
        const content = m
          ? `The answer is in [${m[1]}] and [9999Fake..123X].`
          : 'A hypothetical abstract about dark matter halos and galaxy rotation curves.';
        return json(res, 200, {
          choices: [{ message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 5 },
        });
      }
      if (p === '/v1/embeddings') {
        if (fail-- > 0) return json(res, 503, { error: 'warming up' }, { 'retry-after': '0' });
        const input = b['input'] as string[];
        return json(res, 200, {
          data: input.map((t, i) => ({ index: i, embedding: [t.length, 1, (t.match(/a/g) ?? []).length] })).reverse(),
        });
      }
      json(res, 404, { error: 'no route' });
    });
  });
  afterAll(async () => server?.close());

  it('OpenAI-compatible /v1/embeddings: order by index, retries a 503, prefixes by role', async () => {
    const emb = new OpenAIEmbeddings({
      baseUrl: server.url,
      model: 'stand-in',
      prefixes: { query: 'query: ' },
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, timeoutMs: 5000 },
    });
    const v = await emb.embed(['ab', 'aaaa'], { role: 'query' });
    expect(Array.from(v)).toEqual([9, 1, 1, 11, 1, 4]);
    expect(emb.dim).toBe(3);
    const req = seen.filter((s) => s.path === '/v1/embeddings').at(-1)!.body;
    expect(req['input']).toEqual(['query: ab', 'query: aaaa']);
    expect(req['model']).toBe('stand-in');
    expect(() => new OpenAIEmbeddings({ baseUrl: 'ftp://x', model: 'm' })).toThrow(ValueError);
  });

  it('ask over the OpenAI-compatible chat API: 6 chunks, citation of a retrieved record kept, an invented one removed', async () => {
    const provider = await openProvider(`openai:${server.url}#stand-in`, { apiKey: 'k' });
    const res = await ask(index, 'What are the cosmological parameters measured by Planck?', { provider });
    expect(res.chunks).toHaveLength(6);
    expect(res.chunks.every((c) => c.text.length <= 150)).toBe(true);
    expect(res.citations).toEqual([res.chunks[0]!.bibcode]);
    expect(res.removedCitations).toEqual(['9999Fake..123X']);
    expect(res.answer).toBe(`The answer is in [${res.chunks[0]!.bibcode}] and.`);
    const sent = seen.filter((s) => s.path === '/v1/chat/completions').at(-1)!.body;
    const user = (sent['messages'] as { role: string; content: string }[]).find((m) => m.role === 'user')!.content;
    for (const c of res.chunks) expect(user).toContain(`[${c.bibcode}] ${c.text}`);
    // HyDE: one hypothetical abstract, query vector = mean of its embedding and the question's
    const docs = await hydeDocuments('dark matter in galaxies', { provider });
    expect(docs[0]).toContain('hypothetical abstract');
    const v = await hydeVector('dark matter in galaxies', docs, index.embedder!);
    const e = await index.embedder!.embed(['dark matter in galaxies', docs[0]!]);
    for (let j = 0; j < 16; j++) expect(v[j]).toBeCloseTo((e[j]! + e[16 + j]!) / 2, 6);
    expect(hydePrompt('q').system).toContain('expert astronomer');
    const withHyde = await ask(index, 'dark matter in galaxies', { provider }, { hyde: true });
    expect(withHyde.hypothetical).toHaveLength(1);
    await provider.close();
  });

  const gguf = (() => {
    try {
      const p = dataPath('llm', 'stories260K.gguf');
      return existsSync(p) ? p : undefined;
    } catch {
      return undefined;
    }
  })();
  if (!gguf && process.env['CI']) throw new Error('CI: shared/data/llm/stories260K.gguf is missing (set ASTRO_DATA_DIR)');
  it.runIf(gguf)(
    'the real tiny GGUF model through llm-eval: ask, rerank by digit probabilities, too-long prompt is a ValueError',
    async () => {
      // one thread: llama.cpp's default thread pool spin-waits badly on an oversubscribed machine
      const provider: Provider = await openProvider(`gguf:${gguf}`, { local: { threads: 1 } });
      try {
        const res = await ask(index, 'What is the Hubble constant?', { provider }, { maxTokens: 8, k: 2 });
        expect(res.chunks).toHaveLength(2);
        expect(res.rawAnswer.length).toBeGreaterThan(0);
        // whatever the model wrote, every citation left names a retrieved record
        const retrieved = new Set(res.chunks.map((c) => c.bibcode));
        expect(res.citations.every((c) => retrieved.has(c))).toBe(true);
        expect(filterCitations(res.answer, retrieved).removed).toEqual([]);
        const hits = await index.search('Hubble constant', { k: 5 });
        const rr = await rerank('Hubble constant', hits, { provider }, { top: 3, maxChars: 100, topTokens: 512 });
        expect(rr).toHaveLength(5);
        // relevance is the expected digit (in [0, 9]) or NaN when the model puts no mass on digits; judged ones sort first
        for (const r of rr.slice(0, 3)) expect(Number.isNaN(r.relevance) || (r.relevance >= 0 && r.relevance <= 9)).toBe(true);
        const judged = rr.slice(0, 3).map((r) => (Number.isNaN(r.relevance) ? -1 : r.relevance));
        for (let i = 1; i < 3; i++) expect(judged[i]!).toBeLessThanOrEqual(judged[i - 1]!);
        expect(rr.slice(3).map((r) => r.previousRank)).toEqual([4, 5]);
        await expect(ask(index, 'Hubble '.repeat(2000), { provider }, { maxTokens: 16 })).rejects.toThrow(ValueError);
      } finally {
        await provider.close();
      }
    },
    200_000,
  );

  it.runIf(gguf)(
    'node-llama-cpp embedding context on the real GGUF file',
    async () => {
      const emb = await LlamaEmbeddings.load(gguf!, { threads: 1, contextSize: 512 });
      try {
        expect(emb.dim).toBe(64);
        expect(emb.id).toMatch(/^gguf:stories260K\.gguf:[0-9a-f]{16}$/);
        const a = await emb.embed(['dark matter halos', 'the cosmic microwave background']);
        const b = await emb.embed(['dark matter halos']);
        expect(a).toHaveLength(128);
        expect(Array.from(b)).toEqual(Array.from(a.subarray(0, 64)));
        expect(a.every((x) => Number.isFinite(x))).toBe(true);
        // an index built on it searches densely
        const small = new LiteratureIndex({ embedder: emb });
        await small.upsert(
          records.slice(0, 12).map((r) => ({ ...r, abstract: r.abstract.slice(0, 100), title: r.title.slice(0, 60), keywords: [] })),
        );
        expect(await small.search('cosmology', { mode: 'dense', k: 3 })).toHaveLength(3);
        await expect(emb.embed(['word '.repeat(400)])).rejects.toThrow(/tokens; the embedding context holds 512/);
      } finally {
        await emb.close();
      }
      await expect(LlamaEmbeddings.load('/nonexistent/model.gguf')).rejects.toThrow(/GGUF model not found/);
    },
    200_000,
  );

  it('transformers.js: a missing or invalid ONNX folder is a typed error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pf-onnx-'));
    await expect(TransformersEmbeddings.load(join(dir, 'none'))).rejects.toThrow(FileError);
    await writeFile(join(dir, 'config.json'), '{"model_type":"bert"}');
    await expect(TransformersEmbeddings.load(dir)).rejects.toThrow(ValueError);
  }, 60_000);
});
