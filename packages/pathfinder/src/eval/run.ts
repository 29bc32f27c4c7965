import type { LiteratureRecord } from '../corpus/record.js';
import type { EmbeddingProvider } from '../embed/provider.js';
import { LiteratureIndex, type SearchOptions } from '../index/literature-index.js';
import { queryKeywords } from '../text/keywords.js';
import { summarizeRanks, type RetrievalSummary } from './metrics.js';

/** A retrieval task: each query's single relevant record is the record it came from. */
export type EvalTask = 'title' | 'keywords';

/** One configuration to evaluate: a name and search options. */
export interface EvalConfig {
  name: string;
  options: SearchOptions;
}

/** The query text of a record for a task (undefined when the record has no keywords). */
export function taskQuery(r: LiteratureRecord, task: EvalTask): string | undefined {
  return task === 'title' ? r.title : r.keywords.length ? r.keywords.join('; ') : undefined;
}

/**
 * Rank of each query's own record under one configuration, searching an index of the
 * records' abstracts only (so a title query must find its abstract). Ranks beyond the
 * candidate pool are Infinity. `queryVectors` (one per query, row-major) saves re-embedding.
 */
export async function rankOwnRecords(
  index: LiteratureIndex,
  queries: readonly { text: string; bibcode: string }[],
  config: EvalConfig,
  queryVectors?: Float32Array,
): Promise<number[]> {
  const ranks: number[] = [];
  const dim = index.dense?.dim ?? 0;
  const needsVector = (config.options.mode ?? 'bm25') !== 'bm25';
  const kwCache = new Map<string, string[]>();
  for (const [i, q] of queries.entries()) {
    const opts: SearchOptions = { ...config.options, k: config.options.k ?? 250 };
    if (needsVector && queryVectors) opts.queryVector = queryVectors.subarray(i * dim, (i + 1) * dim);
    if (opts.reweight?.keywords) {
      if (!kwCache.has(q.text)) kwCache.set(q.text, queryKeywords(q.text));
      opts.reweight = { ...opts.reweight, queryKeywords: kwCache.get(q.text)! };
    }
    const hits = await index.search(q.text, opts);
    const at = hits.findIndex((h) => h.record.bibcode === q.bibcode);
    ranks.push(at < 0 ? Infinity : at + 1);
  }
  return ranks;
}

/** Options of {@link evaluateRetrieval}. */
export interface EvaluateOptions {
  tasks?: readonly EvalTask[];
  configs: readonly EvalConfig[];
  /** Embedder for dense/hybrid configurations (omit for BM25 only). */
  embedder?: EmbeddingProvider;
  /** Only these records' queries are asked (all records are searched); default all. */
  queryRecords?: readonly LiteratureRecord[];
  resamples?: number;
  seed?: number;
}

/** Per task and configuration: the ranks and their summary. */
export type EvaluationResult = Record<string, Record<string, { ranks: number[]; summary: RetrievalSummary }>>;

/** Evaluate configurations on title → own-abstract and keywords → own-abstract retrieval. */
export async function evaluateRetrieval(records: readonly LiteratureRecord[], opts: EvaluateOptions): Promise<EvaluationResult> {
  const index = new LiteratureIndex({ ...(opts.embedder ? { embedder: opts.embedder } : {}), fields: ['abstract'] });
  await index.upsert(records);
  const out: EvaluationResult = {};
  for (const task of opts.tasks ?? ['title', 'keywords']) {
    const queries = (opts.queryRecords ?? records).flatMap((r) => {
      const text = taskQuery(r, task);
      return text ? [{ text, bibcode: r.bibcode }] : [];
    });
    const vectors = opts.embedder
      ? await opts.embedder.embed(
          queries.map((q) => q.text),
          { role: 'query' },
        )
      : undefined;
    out[task] = {};
    for (const c of opts.configs) {
      const ranks = await rankOwnRecords(index, queries, c, vectors);
      out[task]![c.name] = {
        ranks,
        summary: summarizeRanks(ranks, { ...(opts.resamples ? { resamples: opts.resamples } : {}), seed: opts.seed ?? 0 }),
      };
    }
  }
  return out;
}
