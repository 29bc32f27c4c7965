// Benchmarks of @astro/llm-eval (`pnpm bench`), written to bench/results/llm-eval.json:
//  1. harness overhead per item as a fraction of model time: the full runner (rendering,
//     scoring, retry wrapper, fsync'd append-only log) vs the same node-llama-cpp calls made
//     directly, in the same process and interleaved rounds (goal < 0.02);
//  2. throughput (items/s) at concurrency 1, 4 and 16 through the HTTP provider against the
//     local OpenAI-compatible server serving the same model with 4 parallel sequences.
// The "peer" is the raw model time measured in the same run, so the ratio survives machine drift. Every ratio is
// ours / peer time (> 1: slower). Results (with machine, date and commit) go to bench/results/llm-eval.json at
// the repository root.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPath } from '@astro/core/data';
import { LocalProvider, OpenAIProvider, loadMcq, renderMcq, runEval, resolveTemplate, type McqItem, type Provider } from '../src/index.js';
import { startServer } from '../test/support/openai-server.js';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const here = dirname(fileURLToPath(import.meta.url));
const DATASET = dataPath('llm', 'astro-qa-en.json');
const MODEL = dataPath('llm', 'stories260K.gguf');
const quiet = { update() {}, finish() {} };
const template = resolveTemplate('plain');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const items = await loadMcq(DATASET, { limit: smoke ? 8 : 120, onInvalid: () => {} });
const tmp = mkdtempSync(join(tmpdir(), 'llm-eval-bench-'));

/** The model calls logprob scoring makes for one item, made directly (no harness). */
async function rawItem(p: Provider, item: McqItem): Promise<void> {
  const prompt = renderMcq(template, item, true);
  const first = await p.nextTokens!(prompt, 512);
  const ws = first.tokens.find((t) => /^\s+$/.test(t.text));
  if (ws && Math.exp(ws.logprob) >= 1e-3) await p.nextTokens!({ ...prompt, prefill: prompt.prefill + ws.text }, 512);
}

/** Wrap a provider so the time spent inside its calls is summed (the model time). */
function timed(p: LocalProvider): { provider: Provider; modelMs: () => number } {
  let ms = 0;
  const wrap =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      const t = performance.now();
      try {
        return await f(...a);
      } finally {
        ms += performance.now() - t;
      }
    };
  const provider: Provider = {
    name: p.name,
    model: p.model,
    cacheIdentity: () => p.cacheIdentity(),
    describe: () => p.describe(),
    generate: wrap(p.generate.bind(p)),
    nextTokens: wrap(p.nextTokens.bind(p)),
    loglikelihood: wrap(p.loglikelihood.bind(p)),
    close: () => p.close(),
  };
  return { provider, modelMs: () => ms };
}

// 1. overhead, in-process, concurrency 1, no cache (every item calls the model).
// overhead_fraction = (runEval wall time − time inside model calls) / time inside model calls,
// measured within the same runEval call, so machine load cancels. As a cross-check the same
// model calls are also made directly (no harness) in interleaved rounds.
const local = await LocalProvider.load(MODEL, { threads: 1, sequences: 4 });
await rawItem(local, items[0]!); // warm up
const rounds = smoke ? 2 : 3;
const harnessMs: number[] = [];
const rawMs: number[] = [];
const fractions: number[] = [];
for (let r = 0; r < rounds; r++) {
  let t = performance.now();
  for (const it of items) await rawItem(local, it);
  rawMs.push((performance.now() - t) / items.length);
  const probe = timed(local);
  t = performance.now();
  await runEval({
    items,
    datasetPath: DATASET,
    provider: probe.provider,
    outDir: join(tmp, `overhead-${r}`),
    scoring: 'logprob',
    template,
    topLogprobs: 512,
    concurrency: 1,
    cacheDir: false,
    progress: quiet,
  });
  const wall = performance.now() - t;
  harnessMs.push(wall / items.length);
  fractions.push((wall - probe.modelMs()) / probe.modelMs());
}
const ours = median(harnessMs);
const peer = median(rawMs);
const overheadFraction = median(fractions);
console.log(
  `overhead: harness ${ours.toFixed(2)} ms/item vs raw model calls ${peer.toFixed(2)} ms/item (interleaved rounds: ${harnessMs.map((h, i) => `${h.toFixed(0)}/${rawMs[i]!.toFixed(0)}`).join(', ')})`,
);
console.log(
  `overhead_fraction (time outside model calls / model time, median of ${rounds}): ${overheadFraction.toFixed(4)} [${fractions.map((f) => f.toFixed(4)).join(', ')}] (goal < 0.02)`,
);

// 1b. the harness alone: the same runner over a provider that answers instantly with a
// 512-token distribution, i.e. the per-item cost the harness adds on top of any model.
const instantTokens = Array.from({ length: 512 }, (_, i) => ({
  text: i === 0 ? ' ' : i < 5 ? 'ABCD'[i - 1]! : `t${i}`,
  logprob: Math.log(1 / 512),
}));
const instant: Provider = {
  name: 'instant',
  model: 'instant',
  cacheIdentity: async () => 'instant',
  describe: () => ({}),
  generate: async () => ({ text: '', usage: { promptTokens: 0, completionTokens: 0 } }),
  nextTokens: async () => ({ tokens: instantTokens, usage: { promptTokens: 1, completionTokens: 0 } }),
  close: async () => {},
};
const instantMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  const t = performance.now();
  await runEval({
    items,
    datasetPath: DATASET,
    provider: instant,
    outDir: join(tmp, `instant-${r}`),
    scoring: 'logprob',
    template,
    concurrency: 1,
    cacheDir: false,
    progress: quiet,
  });
  instantMs.push((performance.now() - t) / items.length);
}
const harnessOnlyMs = median(instantMs);
console.log(
  `harness alone (instant provider): ${harnessOnlyMs.toFixed(3)} ms/item = ${(harnessOnlyMs / peer).toFixed(4)} of the model time per item`,
);

// 2. throughput through HTTP at concurrency 1 / 4 / 16
const server = await startServer(local);
const http = new OpenAIProvider({ baseUrl: server.url, model: 'stories260K', api: 'completions' });
const throughput: Record<string, number> = {};
for (const c of [1, 4, 16]) {
  const t = performance.now();
  await runEval({
    items,
    datasetPath: DATASET,
    provider: http,
    outDir: join(tmp, `http-${c}`),
    scoring: 'logprob',
    template,
    topLogprobs: 512,
    concurrency: c,
    cacheDir: false,
    progress: quiet,
  });
  throughput[`c${c}`] = items.length / ((performance.now() - t) / 1000);
  console.log(`HTTP throughput at concurrency ${c}: ${throughput[`c${c}`]!.toFixed(2)} items/s`);
}
await server.close();
await local.close();
rmSync(tmp, { recursive: true, force: true });

const result = {
  comparisons: [
    {
      name: 'logprob scoring per item (ms): full harness vs raw node-llama-cpp calls',
      ours,
      peer: 'raw model calls, same process',
      peerValue: peer,
      ratio: ours / peer,
    },
    {
      name: 'HTTP time per item (ms) at concurrency 4 vs 1',
      ours: 1000 / throughput['c4']!,
      peer: 'concurrency 1',
      peerValue: 1000 / throughput['c1']!,
      ratio: throughput['c1']! / throughput['c4']!,
    },
    {
      name: 'HTTP time per item (ms) at concurrency 16 vs 1',
      ours: 1000 / throughput['c16']!,
      peer: 'concurrency 1',
      peerValue: 1000 / throughput['c1']!,
      ratio: throughput['c1']! / throughput['c16']!,
    },
  ],
  date: new Date().toISOString(),
  commit: ((r) => (r.status === 0 ? r.stdout.trim() : null))(spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' })),
  machine: { host: hostname(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
  overhead_fraction: overheadFraction,
  overhead_fraction_rounds: fractions,
  harness_vs_raw_rounds_ms: harnessMs.map((h, i) => [h, rawMs[i]]),
  harness_ms_per_item: ours,
  harness_only_ms_per_item: harnessOnlyMs,
  harness_only_fraction_of_model_time: harnessOnlyMs / peer,
  raw_model_ms_per_item: peer,
  throughput_items_per_s: throughput,
  items: items.length,
  rounds,
  model: 'stories260K.gguf (node-llama-cpp 3.21.1, CPU, 1 thread, 4 sequences)',
  smoke,
};
const outFile = join(here, '..', '..', '..', 'bench', 'results', 'llm-eval.json');
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
console.log(`wrote ${outFile}`);
