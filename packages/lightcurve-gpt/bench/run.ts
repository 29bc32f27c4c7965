// LightCurveGPT training step (next-patch pre-training: forward, masked Huber, backward,
// clipping, AdamW) on the wasm backend against the same architecture in PyTorch on one CPU
// thread (torch.set_num_threads(1)), in the same run. Each side: 3 warm-up steps, then runs of
// STEPS steps; the step time of a run is its mean, and the reported value is the median over
// runs (min and max too). PyTorch is timed before and after ours so both see the same load.
// Ratio direction: ours / peer time (> 1: we are slower); the key names say it.
// Writes bench/results/lightcurve-gpt.json (machine, date, commit). A missing peer is reported
// as missing and the bench goes on.
//
//   pnpm --filter @astro/lightcurve-gpt bench          (BENCH_RUNS, BENCH_STEPS to change the counts)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready } from '@astro/core';
import { LightCurveGPT, pretrain, type PatchWindows } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const stepsPerRun = Number(process.env['BENCH_STEPS'] ?? 5);
const cfg = { dim: 64, layers: 2, heads: 4, patchSize: 16, numPatches: 16, batch: 16, warmupSteps: 3, stepsPerRun, runs };
const { dim, layers, heads, patchSize: P, numPatches: T, batch: B } = cfg;

interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
  runs: number[];
}
const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return { median: s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2, min: s[0]!, max: s[s.length - 1]!, n: s.length, runs: xs };
};

/** PyTorch's step times (ms per step, one entry per run), or why the peer is missing. */
function torchRuns(): { ms: number[]; info: Record<string, unknown> } | { missing: string } {
  try {
    const out = execFileSync(
      '/usr/bin/python3',
      [join(here, 'torch_lightcurve_gpt.py'), ...[dim, layers, heads, P, T, B, stepsPerRun, runs].map(String)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as { step_ms_runs: number[]; params: number; torch: string; threads: number };
    return { ms: r.step_ms_runs, info: { params: r.params, torch: r.torch, threads: r.threads } };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { missing: `PyTorch peer missing: ${(err.stderr ?? '').trim().split('\n').pop() || err.message}` };
  }
}

const n = 64;
const flux = new Float32Array(n * T * P);
for (let i = 0; i < flux.length; i++) flux[i] = Math.sin(i * 0.37) + 0.3 * Math.cos(i * 1.7);
const w: PatchWindows = {
  flux,
  mask: new Float32Array(n * T * P).fill(1),
  timeDays: Float32Array.from({ length: n * T }, (_, i) => i % T),
  windows: n,
  numPatches: T,
  patchSize: P,
};

const before = torchRuns();
const info = await ready({ backend: 'wasm', strict: true });
const m = new LightCurveGPT({ patchSize: P, maxPatches: T, dim, layers, heads, seed: 0 });
await pretrain(m, w, { steps: cfg.warmupSteps, batchSize: B });
const oursMs: number[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  await pretrain(m, w, { steps: stepsPerRun, batchSize: B });
  oursMs.push((performance.now() - t0) / stepsPerRun);
}
const params = m.numParameters();
m.dispose();
const after = torchRuns();

const wasm = stats(oursMs);
const torchMs = [...('ms' in before ? before.ms : []), ...('ms' in after ? after.ms : [])];
const torch = torchMs.length ? stats(torchMs) : undefined;
const missing = 'missing' in before ? before.missing : 'missing' in after ? after.missing : undefined;
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
} catch {
  /* not a git checkout */
}
const result = {
  package: '@astro/lightcurve-gpt',
  date: new Date().toISOString(),
  commit,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    logicalCores: cpus().length,
    platform: `${platform()} ${release()}`,
    node: process.version,
  },
  config: { ...cfg, parameters: params },
  backend: info.backend,
  train_step_ms: { wasm, ...(torch ? { torch_1thread: torch } : {}) },
  ...(torch ? { train_step_ratio_wasm_over_torch_1thread: wasm.median / torch.median } : {}),
  peers: { torch_1thread: torch ? ('info' in before ? before.info : 'info' in after ? after.info : {}) : { missing } },
  notes: {
    direction: 'ratio = ours / peer time per training step; > 1 means slower than the peer',
    webgpu: 'not measured here: WebGPU timings need a real GPU (SwiftShader is a correctness path only)',
  },
  comparisons: torch
    ? [
        {
          name: 'LightCurveGPT train step wasm vs torch 1 thread (ms)',
          ours: wasm.median.toFixed(1),
          peer: 'torch_1thread',
          peerValue: torch.median.toFixed(1),
          ratio: (wasm.median / torch.median).toFixed(2),
        },
      ]
    : [],
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'lightcurve-gpt.json'), JSON.stringify(result, null, 1) + '\n');
console.log(`LightCurveGPT ${params} parameters, B${B} × T${T} × ${P} cadences, AdamW`);
console.log(
  `wasm:          ${wasm.median.toFixed(1)} ms/step (min ${wasm.min.toFixed(1)}, max ${wasm.max.toFixed(1)}, ${wasm.n} runs of ${stepsPerRun} steps)`,
);
if (torch)
  console.log(
    `torch 1 thread: ${torch.median.toFixed(1)} ms/step (min ${torch.min.toFixed(1)}, max ${torch.max.toFixed(1)}, ${torch.n} runs)\ntrain_step_ratio_wasm_over_torch_1thread = ${(wasm.median / torch.median).toFixed(2)} (> 1: slower)`,
  );
else console.log(`torch 1 thread: ${missing}`);
