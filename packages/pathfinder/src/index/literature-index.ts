import { AbortError, ValueError } from '@astro/core';
import type { LiteratureRecord } from '../corpus/record.js';
import type { EmbeddingProvider } from '../embed/provider.js';
import { Bm25Index, type Bm25Params } from '../retrieval/bm25.js';
import { DenseIndex } from '../retrieval/dense.js';
import { reciprocalRankFusion, weightedScoreFusion } from '../scoring/fusion.js';
import { reweight, wantsReweight, type Candidate, type ReweightOptions } from '../scoring/reweight.js';
import { recordHash } from './hash.js';

/** Which retriever answers a search. */
export type SearchMode = 'bm25' | 'dense' | 'hybrid';

/** Record fields a search covers. */
export type IndexField = 'title' | 'abstract' | 'keywords';

/** Options of {@link LiteratureIndex.search}. */
export interface SearchOptions {
  /** Results to return (default 10). */
  k?: number;
  /** Retriever (default `'hybrid'` with an embedder, else `'bm25'`). */
  mode?: SearchMode;
  /** How hybrid fuses BM25 and dense: `'rrf'` (default, reciprocal-rank fusion, k = 60) or `'weighted'` (min–max score fusion). */
  fusion?: 'rrf' | 'weighted';
  /** Weight of the dense list in hybrid fusion (default 0.5; BM25 gets 1 − this). */
  denseWeight?: number;
  /** Candidates each retriever returns before fusion and re-weighting (default 250, as Pathfinder re-ranks its top 250). */
  candidates?: number;
  /** Pathfinder's keyword / recency / citation re-weighting of the candidates. */
  reweight?: ReweightOptions;
  /** Query vector to use instead of embedding the query (HyDE passes the mean of hypothetical documents' and the query's embeddings). */
  queryVector?: Float32Array;
  signal?: AbortSignal;
}

/** One result. */
export interface SearchHit extends Candidate {
  /** 1-based rank. */
  rank: number;
}

/** Options of {@link LiteratureIndex}. */
export interface LiteratureIndexOptions {
  /** Embedding model for dense and hybrid search (omit for BM25 only). */
  embedder?: EmbeddingProvider;
  /** BM25 parameters. */
  bm25?: Bm25Params;
  /** Fields indexed (default title, abstract and keywords). */
  fields?: readonly IndexField[];
  /** Texts embedded per call while indexing (default 256). */
  batchSize?: number;
}

/** What {@link LiteratureIndex.upsert} changed. */
export interface UpsertReport {
  added: string[];
  changed: string[];
  unchanged: number;
}

/** The text of a record that is indexed (plain fields joined by blank lines). */
export function indexedText(r: LiteratureRecord, fields: readonly IndexField[]): string {
  return fields
    .map((f) => (f === 'keywords' ? r.keywords.join('; ') : r[f]))
    .filter((t) => t.length > 0)
    .join('\n\n');
}

/**
 * In-memory literature index (browser and Node): records, a BM25 index and, with an
 * embedder, dense vectors. {@link LiteratureIndex.upsert} adds only new or changed bibcodes
 * (by content hash); `search` runs BM25, dense cosine top-k (core's `topK`) or a hybrid, then
 * optional Pathfinder re-weighting. Persist it with `saveIndex`/`openIndex` (LanceDB).
 */
export class LiteratureIndex {
  readonly embedder: EmbeddingProvider | undefined;
  readonly fields: readonly IndexField[];
  readonly batchSize: number;
  bm25: Bm25Index;
  dense: DenseIndex | undefined;
  private readonly recs = new Map<string, LiteratureRecord>();
  private readonly hashes = new Map<string, string>();

  constructor(opts: LiteratureIndexOptions = {}) {
    this.embedder = opts.embedder;
    this.fields = opts.fields ?? ['title', 'abstract', 'keywords'];
    if (this.fields.length === 0) throw new ValueError('LiteratureIndex: fields is empty');
    this.batchSize = opts.batchSize ?? 256;
    this.bm25 = new Bm25Index(opts.bm25);
  }

  /** Number of records. */
  get size(): number {
    return this.recs.size;
  }

  /** The record of a bibcode. */
  get(bibcode: string): LiteratureRecord | undefined {
    return this.recs.get(bibcode);
  }

  /** All records, in insertion order. */
  records(): LiteratureRecord[] {
    return [...this.recs.values()];
  }

  /** Content hash stored for a bibcode. */
  hashOf(bibcode: string): string | undefined {
    return this.hashes.get(bibcode);
  }

  /** Records of `records` that are new or whose content changed. */
  pending(records: readonly LiteratureRecord[]): LiteratureRecord[] {
    return records.filter((r) => this.hashes.get(r.bibcode) !== recordHash(r));
  }

  /**
   * Add new records and re-index changed ones (same bibcode, different content); unchanged
   * records are skipped, so re-indexing a grown corpus embeds only what is new.
   * `vectors` (n × dim, for the pending records in order) skips embedding, e.g. when loading.
   */
  async upsert(
    records: readonly LiteratureRecord[],
    opts: { signal?: AbortSignal; vectors?: Float32Array; onBatch?: (done: number, total: number) => void } = {},
  ): Promise<UpsertReport> {
    const todo = opts.vectors ? [...records] : this.pending(records);
    const report: UpsertReport = { added: [], changed: [], unchanged: records.length - todo.length };
    for (let s = 0; s < todo.length; s += this.batchSize) {
      if (opts.signal?.aborted) throw new AbortError('indexing aborted');
      const batch = todo.slice(s, s + this.batchSize);
      if (this.embedder) {
        const vec = opts.vectors
          ? opts.vectors.subarray(s * this.embedder.dim!, (s + batch.length) * this.embedder.dim!)
          : await this.embedder.embed(
              batch.map((r) => indexedText(r, this.fields)),
              { role: 'document', ...(opts.signal ? { signal: opts.signal } : {}) },
            );
        const dim = vec.length / batch.length;
        this.dense ??= new DenseIndex(dim, Math.max(1024, records.length));
        this.dense.add(
          batch.map((r) => r.bibcode),
          vec,
        );
      }
      this.bm25.add(batch.map((r) => ({ id: r.bibcode, text: indexedText(r, this.fields) })));
      for (const r of batch) {
        (this.recs.has(r.bibcode) ? report.changed : report.added).push(r.bibcode);
        this.recs.set(r.bibcode, r);
        this.hashes.set(r.bibcode, recordHash(r));
      }
      opts.onBatch?.(Math.min(todo.length, s + batch.length), todo.length);
    }
    return report;
  }

  /**
   * Restore a saved state without re-embedding: records with their hashes, their vectors
   * (n × dim, same order) and, when consistent, the saved BM25 state (else BM25 is rebuilt).
   */
  restore(records: readonly LiteratureRecord[], vectors: Float32Array | undefined, bm25?: ReturnType<Bm25Index['toJSON']>): void {
    if (vectors && records.length > 0) {
      this.dense ??= new DenseIndex(vectors.length / records.length, records.length);
      this.dense.add(
        records.map((r) => r.bibcode),
        vectors,
      );
    }
    const restored = bm25 ? Bm25Index.fromJSON(bm25) : undefined;
    if (restored && restored.size === records.length && records.every((r) => restored.has(r.bibcode))) this.bm25 = restored;
    else this.bm25.add(records.map((r) => ({ id: r.bibcode, text: indexedText(r, this.fields) })));
    for (const r of records) {
      this.recs.set(r.bibcode, r);
      this.hashes.set(r.bibcode, recordHash(r));
    }
  }

  /** Remove records by bibcode. */
  remove(bibcodes: readonly string[]): void {
    this.bm25.remove(bibcodes);
    this.dense?.remove(bibcodes);
    for (const b of bibcodes) {
      this.recs.delete(b);
      this.hashes.delete(b);
    }
  }

  /** Embedding of a query (role `'query'`). */
  async embedQuery(query: string, signal?: AbortSignal): Promise<Float32Array> {
    if (!this.embedder) throw new ValueError('this index has no embedder: dense and hybrid search need one (use mode: bm25)');
    return this.embedder.embed([query], { role: 'query', ...(signal ? { signal } : {}) });
  }

  /**
   * Search. Returns up to `k` hits, best first.
   * @throws {ValueError} for an empty query, a bad `k`, or dense/hybrid without an embedder.
   */
  async search(query: string, opts: SearchOptions = {}): Promise<SearchHit[]> {
    if (typeof query !== 'string' || query.trim() === '') throw new ValueError('search: the query is empty');
    const k = opts.k ?? 10;
    if (!(Number.isInteger(k) && k >= 1)) throw new ValueError(`search: k must be a positive integer, got ${k}`);
    const mode = opts.mode ?? (this.embedder ? 'hybrid' : 'bm25');
    if (!['bm25', 'dense', 'hybrid'].includes(mode))
      throw new ValueError(`search: mode must be bm25, dense or hybrid, got '${String(mode)}'`);
    const pool = Math.max(k, opts.candidates ?? 250);
    if (this.size === 0) return [];
    let cands: Candidate[];
    const bm25 = (): Candidate[] => this.bm25.search(query, pool).map((h) => ({ record: this.recs.get(h.id)!, score: h.score }));
    const dense = async (): Promise<Candidate[]> => {
      if (!this.dense) throw new ValueError(`search: mode '${mode}' needs an embedder; this index has none (use mode: bm25)`);
      const q = opts.queryVector ?? (await this.embedQuery(query, opts.signal));
      const [hits] = await this.dense.search(q, pool);
      return hits!.map((h) => ({ record: this.recs.get(h.id)!, score: h.score, distance: h.distance }));
    };
    if (mode === 'bm25') cands = bm25();
    else if (mode === 'dense') cands = await dense();
    else {
      const a = bm25();
      const b = await dense();
      const w = opts.denseWeight ?? 0.5;
      if (!(w >= 0 && w <= 1)) throw new ValueError(`search: denseWeight must lie in [0, 1], got ${w}`);
      const byId = new Map<string, Candidate>([...a, ...b].map((c) => [c.record.bibcode, c]));
      for (const c of b) byId.set(c.record.bibcode, c);
      const fused =
        (opts.fusion ?? 'rrf') === 'rrf'
          ? reciprocalRankFusion([a.map((c) => c.record.bibcode), b.map((c) => c.record.bibcode)], { weights: [1 - w, w] })
          : weightedScoreFusion(
              [
                { ids: a.map((c) => c.record.bibcode), scores: a.map((c) => c.score) },
                { ids: b.map((c) => c.record.bibcode), scores: b.map((c) => c.score) },
              ],
              { weights: [1 - w, w] },
            );
      cands = fused.ids.map((id, i) => {
        const c = byId.get(id)!;
        const out: Candidate = { record: c.record, score: fused.scores[i]! };
        if (c.distance !== undefined) out.distance = c.distance;
        return out;
      });
      // Pathfinder's 1/L2 similarity needs a distance for every candidate; BM25-only ones lack it
      if (cands.some((c) => c.distance === undefined)) for (const c of cands) delete c.distance;
    }
    if (wantsReweight(opts.reweight)) cands = reweight(query, cands, opts.reweight);
    return cands.slice(0, k).map((c, i) => ({ ...c, rank: i + 1 }));
  }
}
