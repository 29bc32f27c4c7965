// Training throughput of LightCurveGPT (next-patch tokens per second) on each available tfjs
// backend, against the same architecture in PyTorch CPU (1 thread) in the same run.
// Writes bench/results/lightcurve-gpt.json with train_speedup_vs_torch per backend.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready } from '@astro/core';
import { LightCurveGPT, pretrain, type PatchWindows } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const cfg = { dim: 64, layers: 2, heads: 4, patchSize: 16, numPatches: 16, batch: 16, steps: 20 };
const { dim, layers, heads, patchSize: P, numPatches: T, batch: B, steps } = cfg;
const n = 64;
const flux = new Float32Array(n * T * P);
for (let i = 0; i < flux.length; i++) flux[i] = Math.sin(i * 0.37) + 0.3 * Math.cos(i * 1.7);
const w: PatchWindows = { flux, mask: new Float32Array(n * T * P).fill(1), timeDays: Float32Array.from({ length: n * T }, (_, i) => i % T), windows: n, numPatches: T, patchSize: P };

const torchOut = execFileSync('/usr/bin/python3', [join(here, 'torch_lightcurve_gpt.py'), ...[dim, layers, heads, P, T, B, steps].map(String)], { encoding: 'utf8' });
const torch = JSON.parse(torchOut.trim().split('\n').pop()!) as { tokens_per_s: number; params: number };
const rows: Record<string, unknown>[] = [];
for (const backend of ['wasm', 'cpu', 'webgpu'] as const) {
  try {
    await ready({ backend, strict: true });
  } catch (e) {
    rows.push({ backend, skipped: e instanceof Error ? e.message : String(e) });
    console.log(`${backend}: skipped (${String(rows[rows.length - 1]!['skipped'])})`);
    continue;
  }
  const m = new LightCurveGPT({ patchSize: P, maxPatches: T, dim, layers, heads, seed: 0 });
  await pretrain(m, w, { steps: 3, batchSize: B });
  const s = backend === 'wasm' ? steps : 3; // cpu and SwiftShader webgpu are slow here
  const t0 = performance.now();
  await pretrain(m, w, { steps: s, batchSize: B });
  const tps = (B * T * s) / ((performance.now() - t0) / 1000);
  rows.push({ backend, params: m.numParameters(), train_tokens_per_s: tps, torch_cpu_tokens_per_s: torch.tokens_per_s, train_speedup_vs_torch: tps / torch.tokens_per_s });
  console.log(`${backend}: ${tps.toFixed(0)} tokens/s (torch CPU ${torch.tokens_per_s.toFixed(0)}), ratio ${(tps / torch.tokens_per_s).toFixed(3)}, ${m.numParameters()} params (torch ${torch.params})`);
  m.dispose();
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'lightcurve-gpt.json'), JSON.stringify({ config: cfg, torch, results: rows }, null, 1));
