/**
 * Retrieval evaluation on the 300 real ADS abstracts (README table):
 *   cd packages/pathfinder && ASTRO_BACKEND=wasm npx tsx bench/evaluate.ts
 * Title → own abstract and keywords → own abstract, over an index of the abstracts alone.
 * The dense encoder is cross-fitted: trained on the pairs of one half of the records, it
 * answers the other half's queries (searching all 300 abstracts), and vice versa, so no
 * query's own pair was seen in training. 95 % bootstrap intervals over queries (2000 resamples).
 * Writes bench/results/pathfinder-eval.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Rng, ready } from '@astro/core';
import {
  LocalEncoderProvider,
  SubwordTokenizer,
  adsAbstractsPath,
  evaluateRetrieval,
  readCorpus,
  summarizeRanks,
  trainTextEncoder,
  type EvalConfig,
  type ReweightOptions,
  type SearchOptions,
} from '../src/index.js';

const info = await ready({ backend: (process.env['ASTRO_BACKEND'] as 'wasm' | 'cpu' | undefined) ?? 'wasm' });
const { records } = await readCorpus(adsAbstractsPath());
const seed = 7;
const perm = new Rng(seed).permutation(records.length);
const folds = [0, 1].map((f) =>
  Array.from(perm)
    .filter((_, i) => i % 2 === f)
    .map((i) => records[i]!),
);
const tokenizer = SubwordTokenizer.train(
  records.map((r) => r.abstract),
  { vocabSize: 2000 },
);

const bases: [string, SearchOptions][] = [
  ['bm25', { mode: 'bm25' }],
  ['dense', { mode: 'dense' }],
  ['hybrid rrf', { mode: 'hybrid', fusion: 'rrf' }],
  ['hybrid weighted', { mode: 'hybrid', fusion: 'weighted' }],
];
const weights: [string, ReweightOptions][] = [
  ['keywords', { keywords: true }],
  ['recency', { recency: true }],
  ['citations', { citations: true }],
  ['all three', { keywords: true, recency: true, citations: true }],
];
const configs: EvalConfig[] = [];
for (const [b, o] of bases) {
  configs.push({ name: b, options: o });
  if (b === 'hybrid weighted') continue;
  for (const [w, r] of weights)
    for (const method of ['pathfinder', 'fusion'] as const)
      configs.push({ name: `${b} + ${w} (${method})`, options: { ...o, reweight: { ...r, method, currentYear: 2025 } } });
}

const ranks: Record<string, Record<string, number[]>> = {};
const t0 = performance.now();
const losses: number[][] = [];
for (let f = 0; f < 2; f++) {
  const train = folds[f]!;
  const test = folds[1 - f]!;
  const { encoder, loss } = await trainTextEncoder(train, { tokenizer, epochs: 40, batchSize: 32, seed: seed + f });
  losses.push(loss);
  const res = await evaluateRetrieval(records, { configs, embedder: new LocalEncoderProvider(encoder, `fold${f}`), queryRecords: test });
  for (const [task, byConfig] of Object.entries(res)) {
    ranks[task] ??= {};
    for (const [name, r] of Object.entries(byConfig)) (ranks[task]![name] ??= []).push(...r.ranks);
  }
  encoder.dispose();
  console.error(
    `fold ${f} done at ${((performance.now() - t0) / 1000).toFixed(0)} s; loss ${loss[0]!.toFixed(3)} → ${loss.at(-1)!.toFixed(3)}`,
  );
}

const summary: Record<string, Record<string, ReturnType<typeof summarizeRanks>>> = {};
const fmt = (e: { mean: number; lo: number; hi: number }): string => `${e.mean.toFixed(3)} [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]`;
for (const [task, byConfig] of Object.entries(ranks)) {
  summary[task] = {};
  console.log(`\n### ${task} → own abstract (${Object.values(byConfig)[0]!.length} queries)\n`);
  console.log('| method | recall@1 | recall@10 | MRR | nDCG@10 |\n|---|---|---|---|---|');
  for (const [name, r] of Object.entries(byConfig)) {
    const s = summarizeRanks(r, { seed: 1 });
    summary[task]![name] = s;
    console.log(`| ${name} | ${fmt(s.recallAt1)} | ${fmt(s.recallAt10)} | ${fmt(s.mrr)} | ${fmt(s.ndcgAt10)} |`);
  }
}
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(
  new URL('./results/pathfinder-eval.json', import.meta.url),
  JSON.stringify(
    {
      backend: info.backend,
      records: records.length,
      seed,
      protocol: '2-fold cross-fitted encoder; index of abstracts only; 95% percentile bootstrap, 2000 resamples',
      encoder: { vocabSize: tokenizer.size, width: 64, dim: 64, epochs: 40, batchSize: 32, loss: losses.map((l) => [l[0], l.at(-1)]) },
      seconds: (performance.now() - t0) / 1000,
      summary,
    },
    null,
    2,
  ) + '\n',
);
