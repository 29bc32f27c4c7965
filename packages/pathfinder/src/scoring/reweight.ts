import { ValueError } from '@astro/core';
import type { LiteratureRecord } from '../corpus/record.js';
import { queryKeywords as tagKeywords } from '../text/keywords.js';
import { rankBy, reciprocalRankFusion } from './fusion.js';
import { keywordWeights, productScore, similarityFromDistance } from './pathfinder.js';
import { citationWeights, timeWeights } from './weights.js';

/** A retrieved record with its relevance score (higher is better) and, for dense retrieval, its L2 distance. */
export interface Candidate {
  record: LiteratureRecord;
  /** Relevance score of the retriever (BM25, cosine, or a fused score). */
  score: number;
  /** Euclidean distance between query and record embeddings (dense retrieval only). */
  distance?: number;
}

/** Which of Pathfinder's re-weightings to apply to the candidates, and how. */
export interface ReweightOptions {
  /** Weight records whose ADS keywords contain the query's nouns/adjectives. */
  keywords?: boolean;
  /** Weight recent records up (Pathfinder's time weight; with scale 0.7 yr, in effect a recency sort). */
  recency?: boolean;
  /** Weight highly cited records up (Pathfinder's citation weight, saturating near 300 citations). */
  citations?: boolean;
  /**
   * `'fusion'` (default): weighted reciprocal-rank fusion of the relevance ranking (weight 1)
   * with the ranking each chosen weight induces (weight `priorWeight`), so no factor can
   * overwhelm relevance. `'pathfinder'`: Pathfinder's product, similarity × keyword × time ×
   * citation weight, with similarity = 1 / L2 distance for dense candidates (the retriever's
   * score otherwise).
   */
  method?: 'fusion' | 'pathfinder';
  /** Weight of each prior ranking in `'fusion'` (default 0.5; relevance has weight 1). */
  priorWeight?: number;
  /** Time scale of the recency weight in years (Pathfinder: 0.7). */
  recencyScaleYears?: number;
  /** The "now" of the recency weight (default: the current calendar year). */
  currentYear?: number;
  /** Query keywords (default: tagged from the query with {@link queryKeywords}). */
  queryKeywords?: readonly string[];
}

/** True when `opts` asks for at least one re-weighting. */
export function wantsReweight(opts: ReweightOptions | undefined): boolean {
  return !!opts && !!(opts.keywords || opts.recency || opts.citations);
}

/**
 * Re-order candidates by Pathfinder's weights. Returns new candidates, best first, whose
 * `score` is the final score. The weights are normalised over the candidate set (as in
 * Pathfinder, which re-weights its top results), so the result depends on how many
 * candidates are passed.
 */
export function reweight(query: string, candidates: readonly Candidate[], opts: ReweightOptions = {}): Candidate[] {
  if (candidates.length === 0 || !wantsReweight(opts)) return [...candidates];
  const recs = candidates.map((c) => c.record);
  const factors: Float64Array[] = [];
  if (opts.keywords)
    factors.push(
      keywordWeights(
        opts.queryKeywords ?? tagKeywords(query),
        recs.map((r) => r.keywords),
      ),
    );
  if (opts.recency)
    factors.push(
      timeWeights(
        recs.map((r) => r.year),
        opts.currentYear ?? new Date().getUTCFullYear(),
        opts.recencyScaleYears ?? 0.7,
      ),
    );
  if (opts.citations) factors.push(citationWeights(recs.map((r) => r.citationCount)));
  const method = opts.method ?? 'fusion';
  const ids = candidates.map((_, i) => String(i));
  let order: { i: number; s: number }[];
  if (method === 'pathfinder') {
    const dense = candidates.every((c) => c.distance !== undefined);
    const sim = dense ? similarityFromDistance(candidates.map((c) => c.distance!)) : Float64Array.from(candidates.map((c) => c.score));
    const s = productScore(sim, ...factors);
    order = candidates.map((_, i) => ({ i, s: s[i]! }));
    order.sort((a, b) => b.s - a.s || a.i - b.i);
  } else if (method === 'fusion') {
    const pw = opts.priorWeight ?? 0.5;
    if (!(Number.isFinite(pw) && pw >= 0)) throw new ValueError(`reweight: priorWeight must be finite and ≥ 0, got ${pw}`);
    const relevance = rankBy(
      ids,
      candidates.map((c) => c.score),
    );
    const fused = reciprocalRankFusion([relevance, ...factors.map((f) => rankBy(ids, f))], { weights: [1, ...factors.map(() => pw)] });
    order = fused.ids.map((id, r) => ({ i: Number(id), s: fused.scores[r]! }));
  } else throw new ValueError(`reweight: method must be 'fusion' or 'pathfinder', got '${String(method)}'`);
  return order.map(({ i, s }) => ({ ...candidates[i]!, score: s }));
}
