// Core benchmark: matrix-product GFLOP/s on every shape docs/backends.md quotes, one reference
// transformer training step (B32, T128, D128, 4 heads, 2 blocks, AdamW) and a SpecCLIP-size
// encoder forward, each against PyTorch CPU measured *interleaved* in the same run (a long-lived
// PyTorch process answers between our timings, so both sides see the same machine load).
//
//   pnpm --filter @astro/core bench         (or: cd packages/core && npx tsx bench/core.bench.ts)
//   ASTRO_SMOKE=1      small sizes, 1 run (checks the plumbing)
//   BENCH_BACKENDS     comma list, default 'wasm' (add webgpu, cpu; cpu takes minutes per step)
//   BENCH_RUNS         runs of the training step (default 3); each run is the median of BENCH_STEPS
//                      (default 5) steps after a warm-up; the ratio is the median over runs.
//   BENCH_THREADS2=1   also time PyTorch with 2 threads (reported, not a target)
//
// Writes <repo>/bench/results/core.json (format: docs/backends.md, "Benchmark results format").
// Every ratio is ours / peer *time* (> 1 = we are slower), named `…_over_…` in its key.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready, tf, useWasmBatchMatMul, type BackendName } from '../src/index.js';
import { useWasmKernels, wasmKernelMode } from '../src/index.js';
import { AdamW } from '../src/optim/index.js';
import { LayerNorm, TransformerBlock } from '../src/nn/index.js';
import { ReferenceModel } from './reference-model.js';
import { cpuMs, stats, TorchPeer, type Stats, type Timings } from './torch-peer.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const smoke = process.env['ASTRO_SMOKE'] === '1';
const RUNS = Number(process.env['BENCH_RUNS'] ?? (smoke ? 1 : 3));
const STEPS = Number(process.env['BENCH_STEPS'] ?? (smoke ? 2 : 5));
const MM_REPS = smoke ? 3 : 7;
const B = smoke ? 4 : 32,
  T = smoke ? 32 : 128,
  D = 128;
const backends = (process.env['BENCH_BACKENDS'] ?? 'wasm').split(',').map((s) => s.trim()) as BackendName[];

const load = (): number[] => loadavg().map((x) => Number(x.toFixed(2)));
const commit = (): string => {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const r3 = (x: number): number => Number(x.toPrecision(4));
const round = (s: Stats): Stats => ({ median: r3(s.median), min: r3(s.min), max: r3(s.max), n: s.n });

// ---------------------------------------------------------------------------------------------
// Matrix products: every shape docs/backends.md quotes.
interface Shape {
  name: string;
  batch: number;
  m: number;
  k: number;
  n: number;
}
const shapes: Shape[] = smoke
  ? [
      { name: '256³', batch: 1, m: 256, k: 256, n: 256 },
      { name: 'attention QKᵀ 8×(32×16·16×32)', batch: 8, m: 32, k: 16, n: 32 },
    ]
  : [
      { name: '512³', batch: 1, m: 512, k: 512, n: 512 },
      { name: '1024³', batch: 1, m: 1024, k: 1024, n: 1024 },
      { name: 'attention QKᵀ 128×(128×32·32×128)', batch: 128, m: 128, k: 32, n: 128 },
      { name: 'attention A·V 128×(128×128·128×32)', batch: 128, m: 128, k: 128, n: 32 },
      { name: 'dense 4096×128·128×128 (q/k/v/out)', batch: 1, m: 4096, k: 128, n: 128 },
      { name: 'dense 4096×128·128×512 (MLP up)', batch: 1, m: 4096, k: 128, n: 512 },
      { name: 'dense 4096×512·512×128 (MLP down)', batch: 1, m: 4096, k: 512, n: 128 },
      { name: 'weight grad 128×4096·4096×128', batch: 1, m: 128, k: 4096, n: 128 },
      { name: 'weight grad 128×4096·4096×512', batch: 1, m: 128, k: 4096, n: 512 },
    ];

async function timeMatmul(s: Shape, reps: number): Promise<Timings> {
  const a = tf.randomNormal(s.batch > 1 ? [s.batch, s.m, s.k] : [s.m, s.k], 0, 1, 'float32', 1);
  const b = tf.randomNormal(s.batch > 1 ? [s.batch, s.k, s.n] : [s.k, s.n], 0, 1, 'float32', 2);
  const out: Timings = { ms: [], cpu: [] };
  const once = async (): Promise<void> => {
    const c0 = cpuMs();
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    out.ms.push(performance.now() - t0);
    out.cpu.push(cpuMs() - c0);
    c.dispose();
  };
  await once();
  await once();
  out.ms.length = out.cpu.length = 0;
  for (let r = 0; r < reps; r++) await once();
  tf.dispose([a, b]);
  return out;
}

const gflops = (s: Shape, ms: number): number => (2 * s.batch * s.m * s.k * s.n) / (ms / 1e3) / 1e9;

/** Wall and CPU time of n runs of fn. */
async function repeat(fn: () => Promise<void>, n: number): Promise<Timings> {
  const out: Timings = { ms: [], cpu: [] };
  for (let i = 0; i < n; i++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    await fn();
    out.ms.push(performance.now() - t0);
    out.cpu.push(cpuMs() - c0);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The reference training step.
async function stepTimer(): Promise<{
  time: (n: number) => Promise<Timings>;
  dispose: () => void;
  profile: () => Promise<[string, number][]>;
}> {
  const model = new ReferenceModel(D, 4, 2, 0);
  const opt = new AdamW(model.namedParameters(), { lr: 1e-3, weightDecay: 0.01 });
  const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 2);
  const y = tf.randomNormal([B, T, D], 0, 1, 'float32', 3);
  const step = async (): Promise<void> => {
    const { loss } = opt.minimize(() => tf.mean(tf.squaredDifference(model.forward(x), y)) as tf.Scalar);
    await loss.data();
    loss.dispose();
  };
  await step(); // warm-up: wasm allocation, JIT, shader compilation
  await step();
  return {
    time: (n) => repeat(step, n),
    profile: async () => {
      const info = await tf.profile(step);
      const byKernel = new Map<string, number>();
      for (const k of info.kernels) {
        const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
        byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + ms);
      }
      return [...byKernel.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 10)
        .map(([k, v]) => [k, r3(v)]);
    },
    dispose: () => {
      tf.dispose([x, y]);
      opt.dispose?.();
      model.dispose();
    },
  };
}

// The SpecCLIP encoder's transformer (specclip/bench/run.ts: 1000 pixels → 99 patches + 1 token,
// dim 64, 4 heads, 2 blocks, batch 32), forward only, as tools/bench/torch_peer.py's "embed".
const EMBED = smoke ? { tokens: 20, dim: 64, depth: 1, heads: 4, batch: 4 } : { tokens: 100, dim: 64, depth: 2, heads: 4, batch: 32 };
async function embedTimer(): Promise<{ time: (n: number) => Promise<Timings>; dispose: () => void }> {
  const blocks = Array.from({ length: EMBED.depth }, (_, i) => new TransformerBlock(EMBED.dim, EMBED.heads, { seed: i }));
  const norm = new LayerNorm(EMBED.dim);
  const x = tf.randomNormal([EMBED.batch, EMBED.tokens, EMBED.dim], 0, 1, 'float32', 4);
  const run = async (): Promise<void> => {
    const y = tf.tidy(() => {
      let h: tf.Tensor = x;
      for (const b of blocks) h = b.forward(h);
      return norm.forward(h);
    });
    await y.data();
    y.dispose();
  };
  await run();
  await run();
  return {
    time: (n) => repeat(run, n),
    dispose: () => {
      x.dispose();
      blocks.forEach((b) => b.dispose());
      norm.dispose();
    },
  };
}

// ---------------------------------------------------------------------------------------------
const loadBefore = load();
const torch1 = await TorchPeer.start(repo, 1);
const torch2 = process.env['BENCH_THREADS2'] === '1' ? await TorchPeer.start(repo, 2) : undefined;
if (torch1.missing) console.warn(torch1.missing + ' — continuing without it');

type Clock = 'wall' | 'cpu';
const CLOCKS: Clock[] = ['wall', 'cpu'];
const pick = (t: Timings, c: Clock): number[] => (c === 'wall' ? t.ms : t.cpu);
type StatsMap = Record<string, Stats>;
const matmul: Record<Clock, Record<string, StatsMap>> = { wall: {}, cpu: {} }; // clock → shape → variant → GFLOP/s
const stepTimes: Record<Clock, Record<string, number[]>> = { wall: {}, cpu: {} };
const stepRatioRuns: Record<Clock, Record<string, number[]>> = { wall: {}, cpu: {} };
const embedTimes: Record<Clock, Record<string, number[]>> = { wall: {}, cpu: {} };
const notes: Record<string, string> = {};
const profiles: Record<string, [string, number][]> = {};
const missing: Record<string, string> = {};
if (torch1.missing) missing['torch_1thread'] = torch1.missing;
if (torch2?.missing) missing['torch_2threads'] = torch2.missing;

const gf = (s: Shape, ms: number[]): Stats => {
  const st = stats(ms);
  // a GFLOP/s median is the rate of the median time; min rate ↔ max time
  return round({ median: gflops(s, st.median), min: gflops(s, st.max), max: gflops(s, st.min), n: st.n });
};
const record = (shape: Shape, variant: string, t: Timings): void => {
  for (const c of CLOCKS) (matmul[c][shape.name] ??= {})[variant] = gf(shape, pick(t, c));
};

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

  // matrix products, each shape: ours (and on wasm tfjs's own kernels) then PyTorch, interleaved
  for (const s of slow ? shapes.slice(0, 1) : shapes) {
    record(s, b, await timeMatmul(s, slow ? 3 : MM_REPS));
    if (b === 'wasm') {
      useWasmKernels('tfjs');
      useWasmBatchMatMul('tfjs');
      record(s, 'wasm_tfjs', await timeMatmul(s, MM_REPS));
      useWasmBatchMatMul('simd'); // core's SIMD GEMM forced, also where 'auto' leaves XNNPACK
      record(s, 'wasm_simd', await timeMatmul(s, MM_REPS));
      useWasmBatchMatMul('auto');
      useWasmKernels('auto');
    }
    if (!matmul.wall[s.name]!['torch_1thread']) {
      const t = await torch1.times({ op: 'matmul', batch: s.batch, m: s.m, k: s.k, n: s.n, reps: MM_REPS });
      if (t) record(s, 'torch_1thread', t);
    }
    const show = (c: Clock) =>
      Object.entries(matmul[c][s.name]!)
        .map(([k, v]) => `${k} ${v.median}`)
        .join(', ');
    console.log(`${b} matmul ${s.name} GFLOP/s — wall: ${show('wall')}; cpu: ${show('cpu')}`);
  }

  // training step: RUNS runs, each STEPS steps of ours and of PyTorch's back to back
  if (!slow || smoke) {
    const variants: [string, () => void, () => void][] = [[b, () => {}, () => {}]];
    if (b === 'wasm') {
      variants.push([
        'wasm_tfjs_kernels',
        () => {
          useWasmKernels('tfjs');
          useWasmBatchMatMul('tfjs');
        },
        () => {
          useWasmKernels('auto');
          useWasmBatchMatMul('auto');
        },
      ]);
    }
    const timers = new Map<string, Awaited<ReturnType<typeof stepTimer>>>();
    for (const [name, on, off] of variants) {
      on();
      timers.set(name, await stepTimer());
      off();
    }
    for (let run = 0; run < (slow ? 1 : RUNS); run++) {
      const runMedians: Record<Clock, Record<string, number>> = { wall: {}, cpu: {} };
      const add = (name: string, t: Timings): void => {
        for (const c of CLOCKS) {
          (stepTimes[c][name] ??= []).push(...pick(t, c));
          runMedians[c][name] = stats(pick(t, c)).median;
        }
      };
      for (const [name, on, off] of variants) {
        on();
        add(name, await timers.get(name)!.time(slow ? 1 : STEPS));
        off();
      }
      const t1 = await torch1.times({ op: 'step', B, T, D, H: 4, reps: slow ? 1 : STEPS });
      if (t1) {
        add('torch_1thread', t1);
        for (const c of CLOCKS) {
          for (const [name] of variants)
            (stepRatioRuns[c][`${name}_over_torch_1thread`] ??= []).push(runMedians[c][name]! / runMedians[c]['torch_1thread']!);
        }
      }
      if (torch2 && !torch2.missing) {
        const t2 = await torch2.times({ op: 'step', B, T, D, H: 4, reps: STEPS });
        if (t2) add('torch_2threads', t2);
      }
      const fmt = (c: Clock) =>
        Object.entries(runMedians[c])
          .map(([k, v]) => `${k} ${r3(v)}`)
          .join(', ');
      console.log(`step run ${run + 1}/${RUNS} (load ${load().join(' ')}) ms — wall: ${fmt('wall')}; cpu: ${fmt('cpu')}`);
    }
    if (b === 'wasm' && !smoke) {
      for (const [name, on, off] of variants) {
        on();
        profiles[name] = await timers.get(name)!.profile();
        off();
      }
    }
    for (const t of timers.values()) t.dispose();
    if (b === 'wasm') notes['kernels'] = `core kernels: ${wasmKernelMode()}`;
  }

  // SpecCLIP-size encoder forward
  if (!slow) {
    const e = await embedTimer();
    for (let run = 0; run < RUNS; run++) {
      const ours = await e.time(STEPS);
      const t = await torch1.times({ op: 'embed', ...EMBED, reps: STEPS });
      for (const c of CLOCKS) {
        (embedTimes[c][b] ??= []).push(...pick(ours, c));
        if (t) (embedTimes[c]['torch_1thread'] ??= []).push(...pick(t, c));
      }
    }
    e.dispose();
  }
}
torch1.close();
torch2?.close();

// ---------------------------------------------------------------------------------------------
/** One row of the cross-package summary (docs/backends.md, "Benchmark results format"). */
interface Comparison {
  name: string;
  unit: string;
  ours: number;
  peer: string;
  peerValue: number | null;
  /** ours / peer wall-clock time (> 1: ours slower); null when the peer is missing. */
  ours_over_peer_time: number | null;
  ours_over_peer_time_min?: number;
  ours_over_peer_time_max?: number;
  /** ours / peer process CPU time (robust to machine load). */
  ours_over_peer_cpu_time?: number | null;
  missing?: string;
}
const comparisons: Comparison[] = [];
const statsOf = (rec: Record<string, number[]>): StatsMap => Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, round(stats(v))]));
const stepMs = { wall: statsOf(stepTimes.wall), cpu: statsOf(stepTimes.cpu) };
const embedMs = { wall: statsOf(embedTimes.wall), cpu: statsOf(embedTimes.cpu) };
const ratioStats: Record<Clock, StatsMap> = { wall: {}, cpu: {} };
for (const c of CLOCKS) {
  for (const [k, v] of Object.entries(stepRatioRuns[c]))
    ratioStats[c][`train_step_ms.${k.replace('_over_', ' / train_step_ms.')}`] = round(stats(v));
}
const torchName = `torch ${String(torch1.info['torch'] ?? '')} CPU, 1 thread`;
for (const b of backends) {
  if (!stepMs.wall[b]) continue;
  const r = stepRatioRuns.wall[`${b}_over_torch_1thread`];
  const rc = stepRatioRuns.cpu[`${b}_over_torch_1thread`];
  comparisons.push({
    name: `reference train step (B${B} T${T} D${D}, 4 heads, 2 blocks, AdamW), ${b} vs PyTorch 1 thread`,
    unit: 'ms',
    ours: stepMs.wall[b]!.median,
    peer: torchName,
    peerValue: stepMs.wall['torch_1thread']?.median ?? null,
    ours_over_peer_time: r ? r3(stats(r).median) : null,
    ...(r ? { ours_over_peer_time_min: r3(stats(r).min), ours_over_peer_time_max: r3(stats(r).max) } : {}),
    ours_over_peer_cpu_time: rc ? r3(stats(rc).median) : null,
    ...(torch1.missing ? { missing: torch1.missing } : {}),
  });
}
for (const [shape, row] of Object.entries(matmul.wall)) {
  for (const b of backends) {
    if (!row[b]) continue;
    const p = row['torch_1thread'];
    const pc = matmul.cpu[shape]!['torch_1thread'];
    comparisons.push({
      name: `matmul ${shape}, ${b} vs PyTorch 1 thread`,
      unit: 'GFLOP/s',
      ours: row[b]!.median,
      peer: torchName,
      peerValue: p?.median ?? null,
      // a rate ratio peer/ours is the time ratio ours/peer
      ours_over_peer_time: p ? r3(p.median / row[b]!.median) : null,
      ours_over_peer_cpu_time: pc ? r3(pc.median / matmul.cpu[shape]![b]!.median) : null,
      ...(p ? {} : { missing: torch1.missing ?? 'peer failed' }),
    });
  }
}
for (const b of backends) {
  if (!embedMs.wall[b]) continue;
  const p = embedMs.wall['torch_1thread'];
  const pc = embedMs.cpu['torch_1thread'];
  comparisons.push({
    name: `SpecCLIP-size encoder forward (${EMBED.batch}×${EMBED.tokens} tokens, dim ${EMBED.dim}, ${EMBED.depth} blocks), ${b} vs PyTorch 1 thread`,
    unit: 'ms',
    ours: embedMs.wall[b]!.median,
    peer: `${torchName}, inference_mode`,
    peerValue: p?.median ?? null,
    ours_over_peer_time: p ? r3(embedMs.wall[b]!.median / p.median) : null,
    ours_over_peer_cpu_time: pc ? r3(embedMs.cpu[b]!.median / pc.median) : null,
    ...(p ? {} : { missing: torch1.missing ?? 'peer failed' }),
  });
}

const byVariant = (m: Record<string, StatsMap>): Record<string, Record<string, number>> => {
  const out: Record<string, Record<string, number>> = {};
  for (const [shape, row] of Object.entries(m)) for (const [v, s] of Object.entries(row)) (out[v] ??= {})[shape] = s.median;
  return out;
};
const medians = (m: StatsMap): Record<string, number> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.median]));
const result = {
  package: 'core',
  smoke,
  date: new Date().toISOString(),
  commit: commit(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${platform()} ${arch()}`, node: process.version },
  load: { before: loadBefore, after: load() },
  peers: { torch_1thread: torch1.missing ?? torch1.info, ...(torch2 ? { torch_2threads: torch2.missing ?? torch2.info } : {}) },
  missing,
  shape: { batch: B, tokens: T, width: D, heads: 4, blocks: 2, optimizer: 'AdamW' },
  method:
    `matmul: median of ${MM_REPS} after 2 warm-ups; train step: ${RUNS} runs × ${STEPS} steps after 2 warm-ups, ours and PyTorch interleaved per run; ` +
    'ratios are medians over runs of per-run median ratios. Wall-clock and process CPU time are both recorded: on a loaded machine the CPU-time ratio is the robust one.',
  /** GFLOP/s medians (wall clock): variant → shape → value. */
  matmul_gflops: byVariant(matmul.wall),
  matmul_gflops_cpu: byVariant(matmul.cpu),
  matmul_gflops_stats: matmul,
  /** ms medians (wall clock) over every timed step of every run. */
  train_step_ms: medians(stepMs.wall),
  train_step_cpu_ms: medians(stepMs.cpu),
  train_step_ms_stats: stepMs,
  ratios: ratioStats,
  embed_ms: embedMs,
  notes,
  profile_top10_ms: profiles,
  comparisons,
};
const outDir = join(repo, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, smoke ? 'core.smoke.json' : 'core.json');
writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
console.table(
  comparisons.map((c) => ({
    name: c.name.slice(0, 60),
    unit: c.unit,
    ours: c.ours,
    peer: c.peerValue,
    'ours/peer time': c.ours_over_peer_time,
    'ours/peer cpu': c.ours_over_peer_cpu_time,
  })),
);
console.log('train-step ratios (median, min, max over runs):', ratioStats);
for (const [k, v] of Object.entries(profiles)) console.log(`profile top 10 kernels, ${k} (ms):`, v);
console.log(`load before ${loadBefore.join(' ')}, after ${load().join(' ')}; wrote ${file}`);
