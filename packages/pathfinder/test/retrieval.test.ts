import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { Bm25Index, DenseIndex, lexicalTerms } from '../src/index.js';

/**
 * Okapi BM25 with Lucene's IDF, written out independently of MiniSearch, with MiniSearch's one
 * documented deviation: the document length |d| is its number of distinct terms.
 */
function bm25(query: string, docs: Record<string, string>, k1 = 1.2, b = 0.75): Map<string, number> {
  const toks = Object.fromEntries(Object.entries(docs).map(([id, t]) => [id, lexicalTerms(t)]));
  const N = Object.keys(docs).length;
  const len = (t: string[]): number => new Set(t).size;
  const avgdl = Object.values(toks).reduce((s, t) => s + len(t), 0) / N;
  const out = new Map<string, number>();
  for (const term of lexicalTerms(query)) {
    const n = Object.values(toks).filter((t) => t.includes(term)).length;
    if (n === 0) continue;
    const idf = Math.log(1 + (N - n + 0.5) / (n + 0.5));
    for (const [id, t] of Object.entries(toks)) {
      const f = t.filter((x) => x === term).length;
      if (f === 0) continue;
      out.set(id, (out.get(id) ?? 0) + (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * len(t)) / avgdl)));
    }
  }
  return out;
}

const docs: Record<string, string> = {
  a: 'Dark matter halos of dwarf galaxies and the cusp–core problem.',
  b: 'Galaxy clusters constrain dark energy; clusters of galaxies weigh dark matter.',
  c: 'The cosmic microwave background anisotropies measured by Planck: Ω<SUB>c</SUB>h<SUP>2</SUP>.',
  d: 'Stellar spectra, stellar abundances and stellar ages.',
  e: 'Exoplanet transits in Kepler light curves.',
};

describe('BM25 (MiniSearch with δ = 0)', () => {
  it('scores equal the Okapi BM25 formula', () => {
    const idx = new Bm25Index();
    idx.add(Object.entries(docs).map(([id, text]) => ({ id, text })));
    for (const q of ['dark matter galaxies', 'stellar', 'Planck anisotropies of the CMB', 'clusters clusters']) {
      const hits = idx.search(q, 10);
      const ref = bm25(q, docs);
      expect(hits.length).toBe(ref.size);
      for (const h of hits) expect(h.score).toBeCloseTo(ref.get(h.id)!, 10);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
    }
    const ref = bm25('stellar ages', docs, 2, 0.3);
    const other = new Bm25Index({ k1: 2, b: 0.3 });
    other.add(Object.entries(docs).map(([id, text]) => ({ id, text })));
    expect(other.search('stellar ages', 1)[0]!.score).toBeCloseTo(ref.get('d')!, 10);
  });

  it('replaces, removes and survives a JSON round trip', () => {
    const idx = new Bm25Index();
    idx.add(Object.entries(docs).map(([id, text]) => ({ id, text })));
    idx.add([{ id: 'e', text: 'Stellar ages from asteroseismology.' }]);
    idx.remove(['a', 'zzz']);
    const now = { ...docs, e: 'Stellar ages from asteroseismology.' } as Record<string, string>;
    delete now['a'];
    expect(idx.size).toBe(4);
    const again = Bm25Index.fromJSON(JSON.parse(JSON.stringify(idx.toJSON())));
    for (const q of ['stellar ages', 'dark matter']) {
      const ref = bm25(q, now);
      for (const h of again.search(q, 10)) expect(h.score).toBeCloseTo(ref.get(h.id)!, 10);
      expect(again.search(q, 10).map((h) => h.id)).toEqual(idx.search(q, 10).map((h) => h.id));
    }
    expect(() => idx.search('x', 0)).toThrow(ValueError);
    expect(() => new Bm25Index({ b: 2 })).toThrow(/b must lie in \[0, 1\]/);
  });
});

describe('DenseIndex (core topK, cosine)', () => {
  it('finds the nearest unit vectors and reports the L2 distance √(2 − 2cos)', async () => {
    const idx = new DenseIndex(3, 1);
    idx.add(['x', 'y', 'z', 'xy'], Float32Array.from([1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 0]));
    const [hits] = await idx.search(Float32Array.from([1, 0.1, 0]), 2);
    expect(hits!.map((h) => h.id)).toEqual(['x', 'xy']);
    const cos = 1 / Math.sqrt(1.01);
    expect(hits![0]!.score).toBeCloseTo(cos, 6);
    expect(hits![0]!.distance).toBeCloseTo(Math.sqrt(2 - 2 * cos), 3);
    idx.remove(['x']);
    idx.add(['y'], Float32Array.from([1, 0.1, 0]));
    const [again] = await idx.search(Float32Array.from([1, 0.1, 0]), 10);
    expect(again!.map((h) => h.id)).toEqual(['y', 'xy', 'z']);
    expect(again![0]!.score).toBeCloseTo(1, 6);
    expect(() => idx.add(['q'], Float32Array.from([0, 0, 0]))).toThrow(/zero/);
    expect(() => idx.add(['q'], Float32Array.from([1, 0]))).toThrow(ShapeError);
    expect(() => idx.add(['q'], Float32Array.from([1, NaN, 0]))).toThrow(ValueError);
  });
});
