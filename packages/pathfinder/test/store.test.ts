import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AbortError, SchemaError, ValueError, ready } from '@astro/core';
import {
  LiteratureIndex,
  LocalEncoderProvider,
  PathfinderTextEncoder,
  SubwordTokenizer,
  indexCorpus,
  lanceSearch,
  openIndex,
  readCorpus,
  type EmbeddingProvider,
  type LiteratureRecord,
} from '../src/index.js';
import { adsPath } from './data.js';

/** Delegates to a real provider and counts the texts it embeds. */
class Counting implements EmbeddingProvider {
  calls = 0;
  texts = 0;
  constructor(readonly inner: EmbeddingProvider) {}
  get id(): string {
    return this.inner.id;
  }
  get dim(): number | undefined {
    return this.inner.dim;
  }
  async embed(texts: readonly string[]): Promise<Float32Array> {
    this.calls++;
    this.texts += texts.length;
    return this.inner.embed(texts);
  }
}

const path = adsPath();
describe.runIf(path)('index and LanceDB store on the real abstracts', () => {
  let records: LiteratureRecord[];
  let provider: LocalEncoderProvider;
  beforeAll(async () => {
    await ready({ backend: 'wasm' });
    records = (await readCorpus(path!)).records;
    const tok = SubwordTokenizer.train(
      records.map((r) => r.abstract),
      { vocabSize: 600 },
    );
    // an untrained encoder: a real, deterministic model, fast to build
    provider = new LocalEncoderProvider(new PathfinderTextEncoder(tok, { width: 16, dim: 16, seed: 1 }), 'test');
  });

  it('searches in memory: BM25 finds a paper by its title; modes and errors', async () => {
    const index = new LiteratureIndex({ embedder: provider });
    const rep = await index.upsert(records);
    expect(rep.added.length).toBe(300);
    const target = records[17]!;
    let found = 0;
    for (const r of records) if ((await index.search(r.title, { mode: 'bm25', k: 1 }))[0]!.record.bibcode === r.bibcode) found++;
    // titles are indexed, so nearly every title finds its own record first
    expect(found / records.length).toBeGreaterThan(0.9);
    for (const mode of ['dense', 'hybrid'] as const) {
      const hits = await index.search(target.title, { mode, k: 5 });
      expect(hits.map((h) => h.rank)).toEqual([1, 2, 3, 4, 5]);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
    }
    const w = await index.search(target.title, { mode: 'hybrid', fusion: 'weighted', denseWeight: 0, k: 3 });
    const b = await index.search(target.title, { mode: 'bm25', k: 3 });
    expect(w.map((h) => h.record.bibcode)).toEqual(b.map((h) => h.record.bibcode));
    const cited = await index.search('galaxies', { mode: 'bm25', k: 3, reweight: { citations: true, method: 'pathfinder' } });
    expect(cited).toHaveLength(3);
    await expect(index.search('  ')).rejects.toThrow(ValueError);
    await expect(index.search('x', { k: 0 })).rejects.toThrow(/k must be a positive integer/);
    await expect(new LiteratureIndex().search('x', { mode: 'dense' })).resolves.toEqual([]);
    // unchanged records are not re-embedded; a changed one is
    const again = await index.upsert([records[0]!, { ...records[1]!, citationCount: records[1]!.citationCount + 1 }]);
    expect(again).toEqual({ added: [], changed: [records[1]!.bibcode], unchanged: 1 });
  });

  it('persists to LanceDB, re-indexes only new or changed bibcodes, and resumes a killed run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pf-lance-'));
    const counting = new Counting(provider);
    const ac = new AbortController();
    // the first run dies after two committed batches of 64
    await expect(
      indexCorpus(dir, records.slice(0, 200), {
        embedder: counting,
        batchSize: 64,
        signal: ac.signal,
        onBatch: (done) => done >= 128 && ac.abort(),
      }),
    ).rejects.toThrow(AbortError);
    expect(counting.texts).toBe(128);
    counting.texts = 0;
    const { index, report } = await indexCorpus(dir, records.slice(0, 200), { embedder: counting, batchSize: 64 });
    expect(counting.texts).toBe(72);
    expect(report).toEqual({ added: 72, changed: 0, unchanged: 128, total: 200 });
    // grow the corpus and change one record: only those are embedded
    counting.texts = 0;
    const edited = { ...records[5]!, abstract: records[5]!.abstract + ' Erratum.' };
    const grown = [...records.slice(0, 5), edited, ...records.slice(6)];
    const second = await indexCorpus(dir, grown, { embedder: counting, batchSize: 64 });
    expect(counting.texts).toBe(101);
    expect(second.report).toEqual({ added: 100, changed: 1, unchanged: 199, total: 300 });
    await expect(openIndex(dir)).rejects.toThrow(/pass that provider/);
    const opened = await openIndex(dir, { embedder: provider });
    expect(opened.size).toBe(300);
    expect(opened.get(edited.bibcode)!.abstract).toBe(edited.abstract);
    expect(opened.embedder!.id).toBe(provider.id);
    const q = records[42]!.title;
    const a = await second.index.search(q, { k: 10 });
    const b = await opened.search(q, { k: 10 });
    expect(b.map((h) => h.record.bibcode)).toEqual(a.map((h) => h.record.bibcode));
    const qv = await provider.embed([q]);
    const fromLance = await lanceSearch(dir, qv, 5);
    const inMemory = await opened.search(q, { mode: 'dense', k: 5 });
    expect(fromLance.map((h) => h.bibcode)).toEqual(inMemory.map((h) => h.record.bibcode));
    expect(index.size).toBe(200);
    await expect(indexCorpus(dir, records, {})).rejects.toThrow(/was indexed with embedder/);
    await expect(openIndex(join(dir, 'nothing-here'))).rejects.toThrow(SchemaError);
    // the package's own encoder is stored in the index and comes back with it
    const own = await mkdtemp(join(tmpdir(), 'pf-lance-own-'));
    await indexCorpus(own, records.slice(0, 20), { embedder: provider });
    const reopened = await openIndex(own);
    expect(reopened.embedder!.id).toBe(provider.id);
    expect(Array.from(await reopened.embedder!.embed([q]))).toEqual(Array.from(qv));
  }, 120_000);
});
