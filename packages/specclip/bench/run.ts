// Benchmarks of @astro/specclip (not tests): embedding throughput of the masked-modelling
// transformer per backend vs the same encoder in PyTorch CPU in the same run (pinned to 1 thread,
// and with all threads), and top-10 cosine search latency over 1e5 embeddings of width 768 through
// core's topK. Every timing is the median of ≥ 3 runs after a warm-up (min and max reported).
// Ratios are ours / peer time (> 1: we are slower), named in the keys. A missing peer (no Python,
// no torch) is reported as missing and the bench goes on.
// Writes <repo>/bench/results/specclip.json (docs/backends.md format: comparisons as ours / peer
// time, machine, date, commit, load; ASTRO_SMOKE=1 writes specclip.smoke.json).
//   pnpm bench   (ASTRO_SMOKE=1: smaller sizes; BENCH_BACKENDS=wasm,cpu: a subset of backends)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { ready, tf } from '@astro/core';
import { topK } from '@astro/core/kernels';
import { patchLayout, SpectrumTransformer } from '../src/index.js';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const reps = smoke ? 3 : 5;
const pixels = 1000;
const layout = patchLayout(pixels);
const cfg = { dim: 64, depth: 2, heads: 4, batch: 32 };
const here = new URL('.', import.meta.url).pathname;

interface TorchRun {
  threads: number;
  median_ms: number;
  min_ms: number;
  max_ms: number;
  spectra_per_s: number;
  torch: string;
}
/** PyTorch's timing with `threads` ('1' or 'all'), or why the peer is missing. */
function torchEmbed(threads: '1' | 'all'): TorchRun | { missing: string } {
  try {
    const out = execFileSync(
      process.env['ASTRO_PYTHON'] ?? '/usr/bin/python3',
      [
        `${here}torch_embed.py`,
        String(layout.tokens),
        String(cfg.dim),
        String(cfg.depth),
        String(cfg.heads),
        String(cfg.batch),
        threads,
        String(reps),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const r = JSON.parse(out) as TorchRun | { error: string };
    return 'error' in r ? { missing: r.error } : r;
  } catch (e) {
    return { missing: (e as Error).message.split('\n')[0]! };
  }
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const stats = (a: number[]) => ({ median_ms: median(a), min_ms: Math.min(...a), max_ms: Math.max(...a) });

const loadBefore = loadavg().map((v) => +v.toFixed(2));
const torch1 = torchEmbed('1');
const torchAll = torchEmbed('all');

const rows: Record<string, unknown>[] = [];
const corpusRows = smoke ? 10_000 : 100_000;
const width = 768;
const corpus = { data: new Float32Array(corpusRows * width), rows: corpusRows, cols: width };
for (let i = 0; i < corpus.data.length; i++) corpus.data[i] = Math.sin(i * 0.618) + Math.cos(i * 0.0137);
const queries = { data: corpus.data.slice(0, width), rows: 1, cols: width };
const wanted = (process.env['BENCH_BACKENDS'] ?? 'webgpu,wasm,cpu').split(',');

for (const backend of (['webgpu', 'wasm', 'cpu'] as const).filter((b) => wanted.includes(b))) {
  try {
    await ready({ backend, strict: true });
  } catch (e) {
    rows.push({ backend, skipped: String((e as Error).message) });
    continue;
  }
  const enc = new SpectrumTransformer({ layout, ...cfg, seed: 1 });
  const p = tf.randomNormal([cfg.batch, layout.tokens, 20]) as tf.Tensor3D;
  const s = tf.randomNormal([cfg.batch, 1]) as tf.Tensor2D;
  const run = async () => {
    const t = performance.now();
    const y = enc.forward(p, s);
    await y.data();
    y.dispose();
    return performance.now() - t;
  };
  await run(); // warm-up
  const embedMs: number[] = [];
  for (let i = 0; i < reps; i++) embedMs.push(await run());
  const embed = stats(embedMs);
  tf.dispose([p, s]);
  enc.dispose();
  await topK(queries, corpus, { k: 10, metric: 'cosine' }); // warm-up
  const searchMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await topK(queries, corpus, { k: 10, metric: 'cosine' });
    searchMs.push(performance.now() - t);
  }
  const search = stats(searchMs);
  const key = corpusRows === 100_000 ? '1e5' : '1e4';
  rows.push({
    backend,
    embed_batch_ms: embed.median_ms,
    embed_batch_ms_min: embed.min_ms,
    embed_batch_ms_max: embed.max_ms,
    embed_spectra_per_s: cfg.batch / (embed.median_ms / 1000),
    ...('median_ms' in torch1 ? { embed_time_ratio_ours_over_torch_1thread: embed.median_ms / torch1.median_ms } : {}),
    ...('median_ms' in torchAll ? { embed_time_ratio_ours_over_torch_all_threads: embed.median_ms / torchAll.median_ms } : {}),
    [`search_${key}_ms`]: search.median_ms,
    [`search_${key}_ms_min`]: search.min_ms,
    [`search_${key}_ms_max`]: search.max_ms,
  });
}

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
} catch {
  /* not a git checkout */
}
// docs/backends.md "Benchmark results format": comparisons with ours / peer time, machine, date, commit
const comparisons: Record<string, unknown>[] = [];
const missing: Record<string, string> = {};
for (const [peerName, t] of [
  ['torch_cpu_1thread', torch1],
  ['torch_cpu_all_threads', torchAll],
] as const) {
  if (!('median_ms' in t)) {
    missing[peerName] = t.missing;
    continue;
  }
  for (const r of rows) {
    if (typeof r['embed_batch_ms'] !== 'number') continue;
    const ours = r['embed_batch_ms'] as number;
    comparisons.push({
      name: `embed_time_ratio_ours_over_${peerName} [${String(r['backend'])}] (SpecFormer-like encoder, ${layout.tokens} tokens, dim ${cfg.dim}, ${cfg.depth} blocks, batch ${cfg.batch})`,
      ours,
      unit: 'ms per batch (median)',
      peer: `PyTorch ${t.torch} CPU, ${t.threads} thread${t.threads === 1 ? '' : 's'}`,
      peerValue: t.median_ms,
      ours_over_peer_time: ours / t.median_ms,
      ours_over_peer_time_min: (r['embed_batch_ms_min'] as number) / t.max_ms,
      ours_over_peer_time_max: (r['embed_batch_ms_max'] as number) / t.min_ms,
    });
  }
}
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
};
const result = {
  package: 'specclip',
  date: new Date().toISOString(),
  commit,
  machine,
  load: { before: loadBefore, after: loadavg().map((v) => +v.toFixed(2)) },
  smoke,
  reps,
  encoder: { pixels, tokens: layout.tokens, ...cfg },
  peers: { torch_cpu_1thread: torch1, torch_cpu_all_threads: torchAll },
  missing,
  comparisons,
  rows,
};
console.table(rows);
for (const [name, t] of Object.entries(result.peers)) {
  console.log(
    'median_ms' in t
      ? `PyTorch CPU ${name} (${t.threads} threads): ${t.spectra_per_s.toFixed(1)} spectra/s, median ${t.median_ms.toFixed(1)} ms per batch`
      : `PyTorch peer ${name} missing: ${t.missing}`,
  );
}
const outDir = new URL('../../../bench/results/', import.meta.url);
mkdirSync(outDir, { recursive: true });
writeFileSync(new URL(smoke ? 'specclip.smoke.json' : 'specclip.json', outDir), JSON.stringify(result, null, 1));
