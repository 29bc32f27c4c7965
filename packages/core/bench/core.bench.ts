// Core benchmark: matmul GFLOP/s and one reference transformer training step per backend,
// with PyTorch CPU (1 thread and all threads) run in the same invocation as the peer.
// Writes bench/results/core.json. ASTRO_SMOKE=1 runs a minimal version.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready, tf, useWasmBatchMatMul, type BackendName } from '../src/index.js';
import { AdamW } from '../src/optim/index.js';
import { ReferenceModel } from './reference-model.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const smoke = process.env['ASTRO_SMOKE'] === '1';
const B = 32, T = 128, D = 128;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function matmulGflops(n: number, reps: number): Promise<number> {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const warm = tf.matMul(a, a);
  await warm.data();
  warm.dispose();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const c = tf.matMul(a, a);
    await c.data();
    times.push(performance.now() - t0);
    c.dispose();
  }
  a.dispose();
  return (2 * n ** 3) / (median(times) / 1e3) / 1e9;
}

async function trainStepMs(steps: number, profile: boolean): Promise<{ ms: number; top?: [string, number][] }> {
  const model = new ReferenceModel(D, 4, 2, 0);
  const opt = new AdamW(model.namedParameters(), { lr: 1e-3, weightDecay: 0.01 });
  const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 2);
  const y = tf.randomNormal([B, T, D], 0, 1, 'float32', 3);
  const step = async () => {
    const { loss } = opt.minimize(() => tf.mean(tf.squaredDifference(model.forward(x), y)) as tf.Scalar);
    await loss.data();
    loss.dispose();
  };
  await step(); // warm-up: shader compilation, wasm allocation
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  let top: [string, number][] | undefined;
  if (profile) {
    const info = await tf.profile(async () => {
      await step();
    });
    const byKernel = new Map<string, number>();
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + ms);
    }
    top = [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  }
  tf.dispose([x, y]);
  opt.dispose?.();
  model.dispose();
  return { ms: median(times), top };
}

function torch(threads: '1' | 'all', steps: number): { train_step_ms: number; matmul_gflops: number; threads: number } | undefined {
  try {
    const out = execFileSync('/usr/bin/python3', [join(repo, 'tools/bench/torch_train_step.py'), threads, String(steps)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').at(-1)!);
  } catch (e) {
    console.warn(`PyTorch peer unavailable (${threads} threads): ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

const matmul: Record<string, number> = {};
const step: Record<string, number> = {};
const notes: Record<string, string> = {};
const profiles: Record<string, [string, number][]> = {};
// BENCH_BACKENDS=wasm,webgpu limits the run (the pure-JS cpu backend takes minutes per step).
const backends = (process.env['BENCH_BACKENDS'] ?? 'wasm,webgpu,cpu').split(',').map((s) => s.trim()) as BackendName[];
for (const b of backends) {
  let info;
  try {
    info = await ready({ backend: b, strict: true });
  } catch (e) {
    notes[b] = `unavailable: ${(e as Error).message}`;
    console.log(`${b}: ${notes[b]}`);
    continue;
  }
  if (info.adapter) notes[b] = `adapter ${info.adapter}`;
  if (info.wasm) notes[b] = `simd ${info.wasm.simd}, threads ${info.wasm.threads}`;
  const slow = b === 'cpu' || (b === 'webgpu' && /swiftshader/i.test(info.adapter ?? ''));
  const n = smoke ? 256 : 1024;
  matmul[b] = await matmulGflops(n, slow || smoke ? 1 : 5);
  if (!smoke || b === 'wasm') {
    const r = await trainStepMs(smoke || slow ? 1 : 5, b === 'wasm' && !smoke);
    step[b] = r.ms;
    if (r.top) profiles[b] = r.top;
  }
  if (b === 'wasm') {
    // the same step with tfjs-wasm's own BatchMatMul instead of core's batched JS kernel
    useWasmBatchMatMul('tfjs');
    step['wasm_tfjs_batchmatmul'] = (await trainStepMs(smoke ? 1 : 5, false)).ms;
    useWasmBatchMatMul('auto');
  }
  console.log(`${b}: matmul n=${n} ${matmul[b]!.toFixed(2)} GFLOP/s; train step ${step[b]?.toFixed(1) ?? '-'} ms (${notes[b] ?? ''})`);
}
const t1 = torch('1', smoke ? 1 : 10);
const tAll = smoke ? undefined : torch('all', 10);
if (t1) {
  step['torch_1thread'] = t1.train_step_ms;
  matmul['torch_1thread'] = t1.matmul_gflops;
}
if (tAll) {
  step['torch_all'] = tAll.train_step_ms;
  matmul['torch_all'] = tAll.matmul_gflops;
}

const comparisons = [];
if (step['wasm'] && step['torch_1thread']) {
  comparisons.push({
    name: 'train_step wasm vs torch 1 thread (ms)',
    ours: step['wasm'].toFixed(1),
    peer: 'torch_1thread',
    peerValue: step['torch_1thread'].toFixed(1),
    ratio: (step['wasm'] / step['torch_1thread']).toFixed(2),
  });
}
if (step['wasm'] && step['wasm_tfjs_batchmatmul']) {
  comparisons.push({
    name: "train_step wasm: core's batched matmul kernel vs tfjs-wasm's (ms)",
    ours: step['wasm'].toFixed(1),
    peer: 'wasm_tfjs_batchmatmul',
    peerValue: step['wasm_tfjs_batchmatmul'].toFixed(1),
    ratio: (step['wasm'] / step['wasm_tfjs_batchmatmul']).toFixed(2),
  });
}
if (matmul['wasm'] && matmul['torch_1thread']) {
  comparisons.push({
    name: 'matmul n=1024 wasm vs torch 1 thread (GFLOP/s)',
    ours: matmul['wasm'].toFixed(2),
    peer: 'torch_1thread',
    peerValue: matmul['torch_1thread'].toFixed(2),
    ratio: (matmul['torch_1thread'] / matmul['wasm']).toFixed(2),
  });
}
const result = {
  smoke,
  date: new Date().toISOString(),
  shape: { batch: B, tokens: T, width: D, heads: 4, blocks: 2, optimizer: 'AdamW' },
  matmul_gflops: matmul,
  train_step_ms: step,
  notes,
  wasm_profile_top_kernels_ms: profiles['wasm'],
  comparisons,
};
const outDir = join(repo, 'bench', 'results');
if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'core.json'), JSON.stringify(result, null, 2) + '\n');
console.table(Object.keys({ ...matmul, ...step }).map((k) => ({ backend: k, matmul_gflops: matmul[k]?.toFixed(2), train_step_ms: step[k]?.toFixed(1) })));
if (profiles['wasm']) console.log('wasm profile (top kernels, ms):', profiles['wasm']);
