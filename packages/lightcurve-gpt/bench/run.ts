// LightCurveGPT training step (next-patch pre-training: forward, masked Huber, backward,
// clipping, AdamW) on the wasm backend against the same architecture in PyTorch on the CPU,
// pinned to 1 thread (torch.set_num_threads(1)) and with all threads, in the same run. Each
// side: 3 warm-up steps, then runs of STEPS steps; the step time of a run is its mean, and the
// reported value is the median over runs (min, max and process CPU time too). PyTorch is timed
// before and after ours so both see the same load.
// Ratio direction: ours / peer time (> 1: we are slower); every key names it
// (`train_step_time_ratio_ours_over_torch_cpu_1thread`, `..._all_threads`; comparisons carry
// `ours_over_peer_time` and `ours_over_peer_cpu_time`). Writes bench/results/lightcurve-gpt.json
// (machine, date, commit, load). A missing peer is reported as missing and the bench goes on.
//
//   pnpm --filter @astro/lightcurve-gpt bench          (BENCH_RUNS, BENCH_STEPS to change the counts)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
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

/** PyTorch's step times and CPU times (ms per step, one entry per run) with `threads` ('1' or 'all'), or why the peer is missing. */
function torchRuns(threads: '1' | 'all'): { ms: number[]; cpuMs: number[]; info: Record<string, unknown> } | { missing: string } {
  try {
    const pin = threads === '1' ? { OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } : {};
    const out = execFileSync(
      '/usr/bin/python3',
      [join(here, 'torch_lightcurve_gpt.py'), ...[dim, layers, heads, P, T, B, stepsPerRun, runs].map(String), threads],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...pin } },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      step_ms_runs: number[];
      step_cpu_ms_runs: number[];
      params: number;
      torch: string;
      threads: number;
    };
    return { ms: r.step_ms_runs, cpuMs: r.step_cpu_ms_runs, info: { params: r.params, torch: r.torch, threads: r.threads } };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { missing: `PyTorch peer missing: ${(err.stderr ?? '').trim().split('\n').pop() || err.message}` };
  }
}
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

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

const loadBefore = loadavg().map((v) => +v.toFixed(2));
const before = { '1thread': torchRuns('1'), all_threads: torchRuns('all') };
const info = await ready({ backend: 'wasm', strict: true });
const m = new LightCurveGPT({ patchSize: P, maxPatches: T, dim, layers, heads, seed: 0 });
await pretrain(m, w, { steps: cfg.warmupSteps, batchSize: B });
const oursMs: number[] = [];
const oursCpuMs: number[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  const c0 = cpuNow();
  await pretrain(m, w, { steps: stepsPerRun, batchSize: B });
  oursMs.push((performance.now() - t0) / stepsPerRun);
  oursCpuMs.push((cpuNow() - c0) / stepsPerRun);
}
const params = m.numParameters();
m.dispose();
const after = { '1thread': torchRuns('1'), all_threads: torchRuns('all') };

const wasm = stats(oursMs);
const wasmCpu = stats(oursCpuMs);
type PeerKey = '1thread' | 'all_threads';
type PeerStats = { time: Stats; cpu: Stats; info: Record<string, unknown> } | { missing: string };
const peerStats = (k: PeerKey): PeerStats => {
  const runsOf = (r: ReturnType<typeof torchRuns>, f: 'ms' | 'cpuMs') => ('ms' in r ? r[f] : []);
  const ms = [...runsOf(before[k], 'ms'), ...runsOf(after[k], 'ms')];
  const cpu = [...runsOf(before[k], 'cpuMs'), ...runsOf(after[k], 'cpuMs')];
  const b = before[k];
  const a = after[k];
  return ms.length
    ? { time: stats(ms), cpu: stats(cpu), info: 'info' in b ? b.info : 'info' in a ? a.info : {} }
    : { missing: 'missing' in b ? b.missing : 'missing' in a ? a.missing : 'no runs' };
};
const peers = { '1thread': peerStats('1thread'), all_threads: peerStats('all_threads') };
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim();
} catch {
  /* not a git checkout */
}
const ratios: Record<string, number> = {};
const comparisons: Record<string, unknown>[] = [];
const missing: Record<string, string> = {};
for (const k of ['1thread', 'all_threads'] as const) {
  const p = peers[k];
  const key = `torch_cpu_${k}`;
  if (!('time' in p)) {
    missing[key] = p.missing;
    continue;
  }
  ratios[`train_step_time_ratio_ours_over_${key}`] = wasm.median / p.time.median;
  ratios[`train_step_cpu_time_ratio_ours_over_${key}`] = wasmCpu.median / p.cpu.median;
  comparisons.push({
    name: `train_step_time_ratio_ours_over_${key} [wasm] (LightCurveGPT dim ${dim}, ${layers} blocks, B${B} × T${T} × ${P}, AdamW)`,
    ours: wasm.median,
    unit: 'ms per step (median)',
    peer: `PyTorch ${String(p.info['torch'])} CPU, ${String(p.info['threads'])} thread${p.info['threads'] === 1 ? '' : 's'}`,
    peerValue: p.time.median,
    ours_over_peer_time: wasm.median / p.time.median,
    ours_over_peer_time_min: wasm.min / p.time.max,
    ours_over_peer_time_max: wasm.max / p.time.min,
    ours_over_peer_cpu_time: wasmCpu.median / p.cpu.median,
  });
}
const result = {
  package: '@astro/lightcurve-gpt',
  date: new Date().toISOString(),
  commit,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    platform: `${platform()} ${release()}`,
    node: process.version,
  },
  load: { before: loadBefore, after: loadavg().map((v) => +v.toFixed(2)) },
  config: { ...cfg, parameters: params },
  backend: info.backend,
  train_step_ms: {
    wasm,
    ...Object.fromEntries(Object.entries(peers).flatMap(([k, p]) => ('time' in p ? [[`torch_cpu_${k}`, p.time]] : []))),
  },
  train_step_cpu_ms: {
    wasm: wasmCpu,
    ...Object.fromEntries(Object.entries(peers).flatMap(([k, p]) => ('cpu' in p ? [[`torch_cpu_${k}`, p.cpu]] : []))),
  },
  ...ratios,
  peers: Object.fromEntries(Object.entries(peers).map(([k, p]) => [`torch_cpu_${k}`, 'info' in p ? p.info : { missing: p.missing }])),
  missing,
  notes: {
    direction: 'every ratio = ours / peer time per training step; > 1 means slower than the peer',
    webgpu: 'not measured here: WebGPU timings need a real GPU (SwiftShader is a correctness path only)',
  },
  comparisons,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'lightcurve-gpt.json'), JSON.stringify(result, null, 1) + '\n');
console.log(`LightCurveGPT ${params} parameters, B${B} × T${T} × ${P} cadences, AdamW`);
console.log(
  `wasm: ${wasm.median.toFixed(1)} ms/step (min ${wasm.min.toFixed(1)}, max ${wasm.max.toFixed(1)}, CPU ${wasmCpu.median.toFixed(1)}, ${wasm.n} runs of ${stepsPerRun} steps)`,
);
for (const [k, p] of Object.entries(peers))
  console.log(
    'time' in p
      ? `torch ${k}: ${p.time.median.toFixed(1)} ms/step (CPU ${p.cpu.median.toFixed(1)}, ${p.time.n} runs)`
      : `torch ${k}: ${p.missing}`,
  );
console.log(JSON.stringify(ratios));
