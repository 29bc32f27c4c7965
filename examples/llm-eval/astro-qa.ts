// Astro-QA (CC BY 4.0) through a real local GGUF model, scored two ways — by the next-token
// probability of the option letters and by extracting the answer from generated text — with
// calibration, a resumable run folder per scoring and an HTML report comparing both.
//
//   npx tsx llm-eval/astro-qa.ts      (from examples/; ASTRO_SMOKE=1 → 6 questions)
//
// stories260K is a 260k-parameter story model that knows no astronomy: expect chance-level
// accuracy (~25%). Point MODEL at any GGUF file (or use the CLI with openai:URL#MODEL) for a real
// evaluation; the machinery is the same.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataPath } from '@astro/core/data';
import { LocalProvider, htmlReport, loadMcq, loadRun, runEval, type DatasetError } from '@astro/llm-eval';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const MODEL = process.env['MODEL'] ?? dataPath('llm', 'stories260K.gguf');
const DATASET = dataPath('llm', 'astro-qa-en.json');
const OUT = join(import.meta.dirname, '..', 'out', 'llm-eval');

const skipped: DatasetError[] = [];
const items = await loadMcq(DATASET, { limit: smoke ? 6 : 200, onInvalid: (e) => skipped.push(e) });
console.log(`Astro-QA: ${items.length} questions (skipped ${skipped.length} malformed: ${skipped.map((e) => e.message).join('; ')})`);

// One CPU thread: a 260k-parameter model gains nothing from more, and shared machines stay responsive.
const provider = await LocalProvider.load(MODEL, { threads: 1, sequences: 2 });
try {
  const logprob = await runEval({
    items,
    datasetPath: DATASET,
    provider,
    outDir: join(OUT, 'logprob'),
    scoring: 'logprob',
    template: 'plain',
    topLogprobs: 512,
  });
  const m = logprob.metrics;
  console.log(
    `logprob: accuracy ${(100 * m.accuracy.accuracy).toFixed(1)}% (95% CI ${(100 * m.accuracy.lower).toFixed(1)}–${(100 * m.accuracy.upper).toFixed(1)}%), ` +
      `ECE ${m.calibration!.eceEqualWidth.toFixed(3)}, Brier ${m.calibration!.brier.toFixed(3)}, ` +
      `letter mass ${m.calibration!.meanLetterMass.toFixed(3)}, p50 latency ${m.latency.p50Ms.toFixed(0)} ms`,
  );
  const first = logprob.results[0]!;
  console.log(
    `  item ${first.id}: P(A..D) = ${first.optionProbs!.map((p) => p.toFixed(3)).join(' ')}, answer ${'ABCD'[first.answerIndex]}`,
  );

  const extract = await runEval({
    items,
    datasetPath: DATASET,
    provider,
    outDir: join(OUT, 'extract'),
    scoring: 'extract',
    template: 'astromlab1',
    sampling: { maxTokens: 32 },
  });
  console.log(
    `extract: accuracy ${(100 * extract.metrics.accuracy.accuracy).toFixed(1)}%, unanswered ${extract.metrics.unanswered}/${items.length}, rules ${JSON.stringify(extract.metrics.extraction)}`,
  );
  console.log(`  sample output: ${JSON.stringify(extract.results[0]!.text!.slice(0, 80))}`);

  const report = join(OUT, 'report.html');
  writeFileSync(report, await htmlReport([loadRun(join(OUT, 'logprob')), loadRun(join(OUT, 'extract'))]));
  console.log(`report: ${report} (rerunning resumes from ${join(OUT, '*/results.jsonl')})`);
} finally {
  await provider.close();
}
