// Benchmarks of @astro/specclip (not tests): embedding throughput of the masked-modelling
// transformer per backend vs the same encoder in PyTorch CPU in the same run, and top-10 cosine
// search latency over 1e5 embeddings of width 768 through core's topK. Best of N on both sides.
// Writes bench/results/specclip.json.   pnpm bench   (ASTRO_SMOKE=1: smaller sizes)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ready, tf } from '@astro/core';
import { topK } from '@astro/core/kernels';
import { patchLayout, SpectrumTransformer } from '../src/index.js';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const pixels = 1000;
const layout = patchLayout(pixels);
const cfg = { dim: 64, depth: 2, heads: 4, batch: 32 };
const here = new URL('.', import.meta.url).pathname;
const torch = JSON.parse(
  execFileSync('/usr/bin/python3', [`${here}torch_embed.py`, String(layout.tokens), String(cfg.dim), String(cfg.depth), String(cfg.heads), String(cfg.batch)], { encoding: 'utf8' }),
) as { spectra_per_s: number; threads: number };

const rows: Record<string, unknown>[] = [];
const corpusRows = smoke ? 10_000 : 100_000;
const width = 768;
const corpus = { data: new Float32Array(corpusRows * width), rows: corpusRows, cols: width };
for (let i = 0; i < corpus.data.length; i++) corpus.data[i] = Math.sin(i * 0.618) + Math.cos(i * 0.0137);
const queries = { data: corpus.data.slice(0, width), rows: 1, cols: width };

for (const backend of ['webgpu', 'wasm', 'cpu'] as const) {
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
  await run();
  let best = Infinity;
  for (let i = 0; i < (smoke ? 2 : 5); i++) best = Math.min(best, await run());
  const spectraPerS = cfg.batch / (best / 1000);
  tf.dispose([p, s]);
  enc.dispose();
  await topK(queries, corpus, { k: 10, metric: 'cosine' });
  let search = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await topK(queries, corpus, { k: 10, metric: 'cosine' });
    search = Math.min(search, performance.now() - t);
  }
  rows.push({ backend, embed_spectra_per_s: spectraPerS, embed_speedup_vs_torch: spectraPerS / torch.spectra_per_s, [`search_${corpusRows === 100_000 ? '1e5' : '1e4'}_ms`]: search });
}
const result = { smoke, encoder: { pixels, tokens: layout.tokens, ...cfg }, torch_cpu: torch, rows };
console.table(rows);
console.log(`PyTorch CPU (${torch.threads} threads): ${torch.spectra_per_s.toFixed(1)} spectra/s`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/specclip.json', import.meta.url), JSON.stringify(result, null, 1));
