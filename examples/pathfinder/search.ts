// Search the 300 real ADS abstracts three ways (BM25, the package's own dense encoder, hybrid),
// apply Pathfinder's re-weighting, persist the index with LanceDB and answer a question with
// bracketed bibcode citations from a real (tiny, astronomy-ignorant) GGUF model.
//
//   npx tsx pathfinder/search.ts      (from examples/; ASTRO_SMOKE=1 → 2 encoder epochs, 60 records)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { openProvider } from '@astro/llm-eval';
import {
  LiteratureIndex,
  LocalEncoderProvider,
  adsAbstractsPath,
  ask,
  indexCorpus,
  openIndex,
  readCorpus,
  trainTextEncoder,
} from '@astro/pathfinder';

const smoke = process.env['ASTRO_SMOKE'] === '1';
await ready();
const { records: all } = await readCorpus(adsAbstractsPath());
const records = smoke ? all.slice(0, 60) : all;
const { encoder, loss } = await trainTextEncoder(records, { epochs: smoke ? 2 : 40, seed: 0 });
console.log(`encoder trained on ${records.length} records: InfoNCE ${loss[0]!.toFixed(3)} → ${loss.at(-1)!.toFixed(3)}`);
const embedder = new LocalEncoderProvider(encoder);

const index = new LiteratureIndex({ embedder });
await index.upsert(records);
const query = 'cosmic microwave background anisotropies and cosmological parameters';
for (const mode of ['bm25', 'dense', 'hybrid'] as const) {
  const hits = await index.search(query, { mode, k: 3 });
  console.log(`\n${mode}:`);
  for (const h of hits)
    console.log(`  ${h.rank}. ${h.record.bibcode}  ${h.record.title.slice(0, 80)} (${h.record.year}, ${h.record.citationCount} citations)`);
}
const recent = await index.search(query, { mode: 'bm25', k: 3, reweight: { recency: true, keywords: true } });
console.log(`\nbm25 + recency + keywords (rank fusion): ${recent.map((h) => `${h.record.bibcode} (${h.record.year})`).join(', ')}`);

// Persist with LanceDB; re-indexing the same corpus embeds nothing new.
const dir = join(mkdtempSync(join(tmpdir(), 'pathfinder-')), 'index');
console.log(`\nLanceDB: ${JSON.stringify((await indexCorpus(dir, records, { embedder })).report)}`);
console.log(`re-index: ${JSON.stringify((await indexCorpus(dir, records, { embedder })).report)}`);
const reopened = await openIndex(dir);

// stories260K writes nonsense, but the machinery is real: 150-char chunks, k = 6, citation filtering.
const provider = await openProvider(`gguf:${dataPath('llm', 'stories260K.gguf')}`, { local: { threads: 1 } });
try {
  const res = await ask(reopened, 'What is the Hubble constant?', { provider }, { maxTokens: smoke ? 16 : 64 });
  console.log(`\nask: ${res.chunks.length} chunks from ${new Set(res.chunks.map((c) => c.bibcode)).size} records`);
  console.log(`answer: ${JSON.stringify(res.answer.slice(0, 200))}`);
  console.log(`citations kept: ${res.citations.join(', ') || '(none)'}; removed: ${res.removedCitations.join(', ') || '(none)'}`);
} finally {
  await provider.close();
}
