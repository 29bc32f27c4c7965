// %% [markdown]
// # @astro/llm-eval: Astro-QA through a local GGUF model
//
// Multiple-choice astronomy questions (Astro-QA, CC BY 4.0) scored by the next-token probability of the option letters, with calibration, a resumable run folder and a reliability diagram. The model is `stories260K.gguf`, a 260k-parameter story model run in-process by node-llama-cpp: it knows no astronomy, so expect chance-level accuracy (~25%). Point `MODEL` at any GGUF file for a real evaluation; nothing else changes.

// %%
import * as tslab from 'tslab';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath } from '@astro/core/data';
import { renderVegaLite } from '@astro/core/plot';
import type * as LlmEval from '@astro/llm-eval';
// tslab compiles cells to CommonJS, and node-llama-cpp is an ES module with top-level await that
// require() cannot load: take @astro/llm-eval's ES build through a native import() (notebooks/esm.cjs).
const nativeImport = require('./esm.cjs') as (s: string) => Promise<unknown>;
const llm = (await nativeImport('@astro/llm-eval')) as typeof LlmEval;
const smoke = process.env['ASTRO_SMOKE'] === '1';
const MODEL = process.env['MODEL'] ?? dataPath('llm', 'stories260K.gguf');
const DATASET = dataPath('llm', 'astro-qa-en.json');
const skipped: LlmEval.DatasetError[] = [];
const items = await llm.loadMcq(DATASET, { limit: smoke ? 6 : 60, onInvalid: (e) => skipped.push(e) });
console.log(`${items.length} questions (${skipped.length} malformed records skipped)`);
const q0 = items[0]!;
console.log(`${q0.question}\n${q0.choices.map((c, i) => `  ${'ABCD'[i]}. ${c}`).join('\n')}\n  answer: ${'ABCD'[q0.answerIndex]}`);

// %% [markdown]
// ## Letter-probability scoring
//
// P(A…D) from the model's next-token distribution, summed over token variants (`" A"`, `"A"`, …) and renormalised over the options; the predicted option is the most probable and its probability is the confidence.

// %%
const outDir = mkdtempSync(join(tmpdir(), 'astro-qa-'));
const provider = await llm.LocalProvider.load(MODEL, { threads: 1, sequences: 2 });
// tslab drops shorthand properties that name an earlier cell's variable: spell them out
const run = await llm.runEval({
  items: items,
  datasetPath: DATASET,
  provider: provider,
  outDir: outDir,
  scoring: 'logprob',
  template: 'plain',
  topLogprobs: 512,
});
const m = run.metrics;
console.log(
  `accuracy ${(100 * m.accuracy.accuracy).toFixed(1)}% (95% bootstrap CI ${(100 * m.accuracy.lower).toFixed(1)}–${(100 * m.accuracy.upper).toFixed(1)}%)`,
);
console.log(
  `ECE ${m.calibration!.eceEqualWidth.toFixed(3)}, Brier ${m.calibration!.brier.toFixed(3)}, mean letter mass ${m.calibration!.meanLetterMass.toFixed(3)}, p50 latency ${m.latency.p50Ms.toFixed(0)} ms`,
);
for (const r of run.results)
  console.log(
    `  ${r.id}: P(A..D) = ${r.optionProbs!.map((p) => p.toFixed(3)).join(' ')}  predicted ${'ABCD'[r.predicted ?? 0]}, answer ${'ABCD'[r.answerIndex]}`,
  );
tslab.display.html(await renderVegaLite(llm.reliabilitySpec(m, 'Astro-QA, stories260K: reliability diagram')));

// %% [markdown]
// ## Resuming
//
// The run folder is append-only: running the same configuration again evaluates nothing and gives the same metrics.

// %%
const again = await llm.runEval({
  items: items,
  datasetPath: DATASET,
  provider: provider,
  outDir: outDir,
  scoring: 'logprob',
  template: 'plain',
  topLogprobs: 512,
});
const lines = readFileSync(join(outDir, 'results.jsonl'), 'utf8').trim().split('\n').length;
console.log(
  `second run evaluated ${again.evaluatedNow} items; results.jsonl has ${lines} lines; accuracy ${again.metrics.accuracy.accuracy}`,
);
await provider.close();

// %% [markdown]
// ## Checks

// %%
if (run.results.length !== items.length) throw new Error(`${run.results.length} results for ${items.length} items`);
let nCorrect = 0;
for (const r of run.results) {
  const p = r.optionProbs!;
  const sum = p.reduce((a, b) => a + b, 0);
  if (!(Math.abs(sum - 1) < 1e-6)) throw new Error(`${r.id}: option probabilities sum to ${sum}`);
  const best = p.indexOf(Math.max(...p));
  if (r.predicted !== best) throw new Error(`${r.id}: predicted ${r.predicted} is not the argmax ${best}`);
  if (!(Math.abs(r.confidence! - p[best]!) < 1e-12)) throw new Error(`${r.id}: confidence is not P(predicted)`);
  if (!(r.letterMass! > 0 && r.letterMass! <= 1 + 1e-9)) throw new Error(`${r.id}: letter mass ${r.letterMass}`);
  if (r.correct !== (best === r.answerIndex)) throw new Error(`${r.id}: correct flag disagrees with the answer`);
  if (r.correct) nCorrect++;
}
if (m.accuracy.accuracy !== nCorrect / items.length) throw new Error('accuracy is not the fraction correct');
if (!(m.accuracy.lower <= m.accuracy.accuracy && m.accuracy.accuracy <= m.accuracy.upper)) throw new Error('accuracy outside its CI');
// Brier score recomputed from the stored probabilities (multi-class: Σ_k (p_k − 1[k = answer])², averaged)
const brier =
  run.results.reduce((a, r) => a + r.optionProbs!.reduce((s, p, k) => s + (p - (k === r.answerIndex ? 1 : 0)) ** 2, 0), 0) / items.length;
console.log(`Brier recomputed ${brier.toFixed(6)} vs reported ${m.calibration!.brier.toFixed(6)}`);
if (!(Math.abs(brier - m.calibration!.brier) < 1e-9)) throw new Error('Brier score disagrees with its definition');
if (again.evaluatedNow !== 0 || lines !== items.length || again.metrics.accuracy.accuracy !== m.accuracy.accuracy)
  throw new Error('resuming re-evaluated items');
if (llm.extractAnswer('{"ANSWER": "C"}', ['a', 'b', 'c', 'd']).index !== 2) throw new Error('answer extraction failed');
console.log('ok');
