import MiniSearch from 'minisearch';
import { ValueError } from '@astro/core';
import { lexicalTerms } from '../text/clean.js';

/** BM25 parameters: term-frequency saturation k1 and length normalisation b (Robertson & Zaragoza 2009). */
export interface Bm25Params {
  /** Default 1.2. */
  k1?: number;
  /** Default 0.75. */
  b?: number;
}

/** A scored hit: document id and BM25 score. */
export interface Hit {
  id: string;
  score: number;
}

interface Doc {
  id: string;
  text: string;
}

/**
 * Okapi BM25 over one text field, backed by MiniSearch (maintained, browser-safe,
 * serialisable). MiniSearch scores with BM25+ (Lv & Zhai 2011) and Lucene's IDF,
 * idf(t) = ln(1 + (N − n_t + 0.5)/(n_t + 0.5)); its lower bound δ is set to 0 here, which makes
 * the score Okapi BM25: Σ_t idf(t) · f(t,d)(k1+1) / (f(t,d) + k1(1 − b + b·|d|/avgdl)), with one
 * deviation MiniSearch makes and this keeps: the length |d| (and avgdl) counts a document's
 * distinct terms, not its tokens, so repeated words lengthen a document less.
 * Terms are {@link lexicalTerms} (markup removed, lower-cased, stop words dropped); no
 * prefix or fuzzy matching, and MiniSearch's coordination factor (× distinct matched terms)
 * is divided out, so scores are the formula's. A query term repeated counts once
 * per occurrence, as in Lucene.
 */
export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  private ms: MiniSearch<Doc>;

  constructor(params: Bm25Params = {}, ms?: MiniSearch<Doc>) {
    this.k1 = params.k1 ?? 1.2;
    this.b = params.b ?? 0.75;
    if (!(Number.isFinite(this.k1) && this.k1 >= 0)) throw new ValueError(`Bm25Index: k1 must be finite and ≥ 0, got ${this.k1}`);
    if (!(Number.isFinite(this.b) && this.b >= 0 && this.b <= 1)) throw new ValueError(`Bm25Index: b must lie in [0, 1], got ${this.b}`);
    this.ms = ms ?? new MiniSearch<Doc>(Bm25Index.msOptions());
  }

  private static msOptions(): ConstructorParameters<typeof MiniSearch<Doc>>[0] {
    return {
      fields: ['text'],
      storeFields: [],
      tokenize: (s: string) => lexicalTerms(s),
      processTerm: (t: string) => t,
      autoVacuum: false,
    };
  }

  /** Number of indexed documents. */
  get size(): number {
    return this.ms.documentCount;
  }

  /** Whether `id` is indexed. */
  has(id: string): boolean {
    return this.ms.has(id);
  }

  /** Index documents; an id already present is replaced. */
  add(docs: readonly { id: string; text: string }[]): void {
    for (const d of docs) {
      if (this.ms.has(d.id)) this.ms.discard(d.id);
      this.ms.add({ id: d.id, text: d.text });
    }
  }

  /** Remove documents by id (ids not present are ignored). */
  remove(ids: readonly string[]): void {
    for (const id of ids) if (this.ms.has(id)) this.ms.discard(id);
  }

  /** The `k` best documents for `query`, best first (fewer when fewer documents share a term). */
  search(query: string, k: number): Hit[] {
    if (!(Number.isInteger(k) && k >= 1)) throw new ValueError(`Bm25Index.search: k must be a positive integer, got ${k}`);
    const res = this.ms.search(query, { prefix: false, fuzzy: false, combineWith: 'OR', bm25: { k: this.k1, b: this.b, d: 0 } });
    // MiniSearch multiplies each sum by the number of distinct query terms matched (a
    // coordination factor); divide it out so the score is BM25's, and re-sort.
    const hits = res.map((r) => ({ id: String(r.id), score: r.score / Math.max(1, r.terms.length) }));
    hits.sort((a, b) => b.score - a.score);
    return hits.slice(0, k);
  }

  /** Serialisable state (MiniSearch's JSON plus k1, b). */
  toJSON(): { k1: number; b: number; index: unknown } {
    return { k1: this.k1, b: this.b, index: this.ms.toJSON() };
  }

  /** Restore from {@link Bm25Index.toJSON}. */
  static fromJSON(json: { k1: number; b: number; index: unknown }): Bm25Index {
    const ms = MiniSearch.loadJS<Doc>(json.index as Parameters<typeof MiniSearch.loadJS>[0], Bm25Index.msOptions());
    return new Bm25Index({ k1: json.k1, b: json.b }, ms);
  }
}
