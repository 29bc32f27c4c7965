// %% [markdown]
// # @astro/pathfinder: searching 300 real ADS abstracts
//
// Pathfinder (Iyer et al. 2024) finds astronomy papers by meaning and re-weights them by keywords, recency and citations. Here: BM25, the package's own contrastive text encoder and their hybrid on 300 highly cited ADS records, Pathfinder's weights, and a small retrieval evaluation (title → own abstract) with bootstrap intervals.

// %%
import { ready } from '@astro/core';
import {
  LiteratureIndex,
  LocalEncoderProvider,
  adsAbstractsPath,
  evaluateRetrieval,
  readCorpus,
  trainTextEncoder,
} from '@astro/pathfinder';
const smoke = process.env['ASTRO_SMOKE'] === '1';
await ready();
const { records, report } = await readCorpus(adsAbstractsPath());
console.log(`${records.length} records, ${report.missingAbstract.length} without abstract, ${report.duplicates.length} duplicates`);
console.log(
  `years ${Math.min(...records.map((r) => r.year))}–${Math.max(...records.map((r) => r.year))}, citations ≥ ${Math.min(...records.map((r) => r.citationCount))}`,
);

// %% [markdown]
// ## Train the local encoder
//
// A subword vocabulary is learned from the corpus, then a bag-of-pieces encoder is trained with a symmetric InfoNCE loss on (title, abstract), (keywords, abstract) and (sentence, abstract) pairs, through core's `fit`.

// %%
const trained = await trainTextEncoder(records, { epochs: smoke ? 2 : 30, seed: 0 });
console.log(`InfoNCE per epoch: ${trained.loss.map((l) => l.toFixed(2)).join(' ')}`);
const embedder = new LocalEncoderProvider(trained.encoder);
const index = new LiteratureIndex({ embedder: embedder });
await index.upsert(records);

// %% [markdown]
// ## One query, three retrievers, and Pathfinder's weights
//
// `method: 'pathfinder'` multiplies the weights into the score as Pathfinder does; the default `'fusion'` merges rankings so no prior can bury relevance.

// %%
const query = 'dark energy and the accelerating expansion of the universe';
for (const mode of ['bm25', 'dense', 'hybrid'] as const) {
  const hits = await index.search(query, { mode: mode, k: 3 });
  console.log(`${mode.padEnd(6)} ${hits.map((h) => `${h.record.bibcode} (${h.record.year})`).join('  ')}`);
}
for (const method of ['pathfinder', 'fusion'] as const) {
  const hits = await index.search(query, { mode: 'bm25', k: 3, reweight: { recency: true, method: method } });
  console.log(`bm25 + recency (${method}): ${hits.map((h) => `${h.record.bibcode} (${h.record.year})`).join('  ')}`);
}

// %% [markdown]
// ## Evaluation: title → own abstract
//
// The index holds abstracts only; each title must find its own abstract. The encoder here saw these pairs in training (in-sample), so its numbers are optimistic; the package README reports the cross-fitted ones.

// %%
const evalRes = await evaluateRetrieval(smoke ? records.slice(0, 60) : records, {
  tasks: ['title'],
  embedder: embedder,
  configs: [
    { name: 'bm25', options: { mode: 'bm25' } },
    { name: 'dense', options: { mode: 'dense' } },
    { name: 'hybrid', options: { mode: 'hybrid' } },
  ],
  resamples: 500,
});
for (const [name, r] of Object.entries(evalRes['title']!)) {
  const s = r.summary;
  console.log(
    `${name.padEnd(7)} recall@1 ${s.recallAt1.mean.toFixed(3)} [${s.recallAt1.lo.toFixed(3)}, ${s.recallAt1.hi.toFixed(3)}]  MRR ${s.mrr.mean.toFixed(3)}`,
  );
}
