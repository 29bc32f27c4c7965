import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import {
  citationWeights,
  keywordWeights,
  productScore,
  queryKeywords,
  reciprocalRankFusion,
  reweight,
  similarityFromDistance,
  timeWeights,
  weightedScoreFusion,
  type Candidate,
  type LiteratureRecord,
} from '../src/index.js';

const rec = (bibcode: string, year: number, citationCount: number, keywords: string[]): LiteratureRecord => ({
  bibcode,
  title: bibcode,
  abstract: bibcode,
  year,
  citationCount,
  keywords,
});

describe("Pathfinder's scoring (closed forms)", () => {
  it('similarity is 1/d with the infinite value of d = 0 set to 0', () => {
    expect(Array.from(similarityFromDistance([2, 0.5, 0, Infinity]))).toEqual([0.5, 2, 0, 0]);
    expect(() => similarityFromDistance([-1])).toThrow(ValueError);
  });

  it('keyword weight counts substring pairs: 0.1 + 0.1·hits over the maximum', () => {
    const w = keywordWeights(['galaxy', 'dark'], [['galaxy clusters', 'dark matter', 'Galaxy evolution'], ['stars'], ['darkness']]);
    // hits: record 0 → galaxy ⊂ 'galaxy clusters', 'galaxy evolution' (case-insensitive), dark ⊂ 'dark matter' = 3
    expect(w[0]).toBeCloseTo(1, 15);
    expect(w[1]).toBeCloseTo(0.1 / 0.4, 15);
    expect(w[2]).toBeCloseTo(0.2 / 0.4, 15);
    expect(Array.from(keywordWeights([], [['a'], []]))).toEqual([1, 1]);
  });

  it('citation weight on synthetic counts: logistic around the clip, normalised by the largest', () => {
    const counts = [0, 50, 150, 258, 299];
    const w = citationWeights(counts);
    const raw = counts.map((c) => 1 / (1 + Math.exp((300 - c) / 42)));
    const max = Math.max(...raw);
    counts.forEach((_, i) => expect(w[i]).toBeCloseTo(raw[i]! / max, 14));
    // monotone in citations, and a record with 2× the citations of another below the clip gains
    for (let i = 1; i < counts.length; i++) expect(w[i]!).toBeGreaterThan(w[i - 1]!);
  });

  it('time weight with scale 0.7 yr decays by e^(−1/0.7) per year for old papers', () => {
    const w = timeWeights([2020, 2019, 2018], 2024);
    expect(w[1]! / w[0]!).toBeCloseTo((1 + Math.exp(4 / 0.7)) / (1 + Math.exp(5 / 0.7)), 12);
    const flat = timeWeights([2020, 2019], 2024, 70);
    expect(flat[1]!).toBeGreaterThan(0.98);
  });

  it('product score multiplies factors and checks lengths', () => {
    expect(Array.from(productScore([1, 2], [3, 4], [0.5, 0.5]))).toEqual([1.5, 4]);
    expect(() => productScore([1, 2], [1])).toThrow(/factor 1 has 1 values/);
  });
});

describe('rank fusion', () => {
  it('RRF sums w/(k + rank)', () => {
    const f = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['c', 'a'],
      ],
      { k: 60 },
    );
    const expected: Record<string, number> = { a: 1 / 61 + 1 / 62, b: 1 / 62, c: 1 / 63 + 1 / 61 };
    expect(f.ids).toEqual(['a', 'c', 'b']);
    f.ids.forEach((id, i) => expect(f.scores[i]).toBeCloseTo(expected[id]!, 15));
    const w = reciprocalRankFusion(
      [
        ['a', 'b'],
        ['b', 'a'],
      ],
      { k: 0, weights: [1, 3] },
    );
    expect(w.ids).toEqual(['b', 'a']);
    expect(w.scores[0]).toBeCloseTo(1 / 2 + 3, 15);
    expect(() => reciprocalRankFusion([['a']], { weights: [1, 2] })).toThrow(ValueError);
  });

  it('weighted score fusion min–max normalises each list', () => {
    const f = weightedScoreFusion(
      [
        { ids: ['a', 'b', 'c'], scores: [10, 5, 0] },
        { ids: ['c', 'b'], scores: [0.9, 0.1] },
      ],
      { weights: [0.7, 0.3] },
    );
    const expected: Record<string, number> = { a: 0.7, b: 0.35, c: 0.3 };
    f.ids.forEach((id, i) => expect(f.scores[i]).toBeCloseTo(expected[id]!, 15));
    expect(f.ids).toEqual(['a', 'b', 'c']);
    expect(() => weightedScoreFusion([{ ids: ['a'], scores: [NaN] }])).toThrow(ValueError);
  });
});

describe('query keywords (wink-nlp POS tags)', () => {
  it('keeps nouns and adjectives, drops stop words and verbs', () => {
    const kws = queryKeywords('What are the cosmological parameters measured by Planck?');
    expect(kws).toContain('cosmological');
    expect(kws).toContain('parameters');
    expect(kws).not.toContain('what');
    expect(kws).not.toContain('the');
    expect(kws).not.toContain('measured');
  });
});

describe('reweight', () => {
  const cands: Candidate[] = [
    { record: rec('old-uncited', 1990, 3, ['stars']), score: 0.9, distance: 0.5 },
    { record: rec('new-cited', 2024, 900, ['dark matter halos']), score: 0.8, distance: 1.0 },
    { record: rec('mid', 2010, 100, ['dark energy']), score: 0.7, distance: 2.0 },
  ];
  it("Pathfinder's product equals the closed form", () => {
    const out = reweight('dark matter', cands, {
      method: 'pathfinder',
      keywords: true,
      citations: true,
      recency: true,
      currentYear: 2024,
      queryKeywords: ['dark', 'matter'],
    });
    const sim = [2, 1, 0.5];
    const kw = keywordWeights(
      ['dark', 'matter'],
      cands.map((c) => c.record.keywords),
    );
    const tw = timeWeights([1990, 2024, 2010], 2024);
    const cw = citationWeights([3, 900, 100]);
    const expected = sim.map((s, i) => s * kw[i]! * tw[i]! * cw[i]!);
    const byId = new Map(out.map((c) => [c.record.bibcode, c.score]));
    cands.forEach((c, i) => expect(byId.get(c.record.bibcode)).toBeCloseTo(expected[i]!, 12));
    expect(out[0]!.record.bibcode).toBe('new-cited');
  });
  it('fusion keeps relevance dominant: one prior cannot move a record by more than its weight allows', () => {
    const out = reweight('x', cands, { citations: true, priorWeight: 0.5 });
    // relevance ranks 1,2,3; citation ranks 3,1,2 → 1/61+0.5/63, 1/62+0.5/61, 1/63+0.5/62
    expect(out.map((c) => c.record.bibcode)).toEqual(['old-uncited', 'new-cited', 'mid']);
    expect(out[0]!.score).toBeCloseTo(1 / 61 + 0.5 / 63, 15);
    expect(out[1]!.score).toBeCloseTo(1 / 62 + 0.5 / 61, 15);
    // with an equal weight the prior wins the tie-break of near-equal sums
    expect(reweight('x', cands, { citations: true, priorWeight: 1 })[0]!.record.bibcode).toBe('new-cited');
    expect(reweight('x', cands, {}).map((c) => c.record.bibcode)).toEqual(['old-uncited', 'new-cited', 'mid']);
  });
});
