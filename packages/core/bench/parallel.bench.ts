// Multi-core training benchmark: the reference step (B32, T128, D128, 4 heads, 2 blocks, AdamW)
// with core's DataParallelTrainer on 1 and 2 worker threads (and in-process, no workers) against
// PyTorch CPU with 1 and 2 threads, interleaved round by round so every side sees the same load.
//
//   cd packages/core && npx tsx bench/parallel.bench.ts
//   ASTRO_SMOKE=1    small sizes, 2 rounds (checks the plumbing)
//   BENCH_ROUNDS     interleaved rounds (default 5); BENCH_STEPS steps per side per round (default 2)
//
// Writes <repo>/bench/results/core-parallel.json (format: docs/backends.md, "Benchmark results
// format"). Every ratio is ours / peer time (> 1: ours slower). Process CPU time includes every
// worker thread (Node) and every torch thread (Python's process_time).
//
// This file is also the module the workers import: `buildReference` makes one replica.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { ready, tf } from '../src/index.js';
import { AdamW } from '../src/optim/index.js';
import { DataParallelTrainer, type HostTensor, type ParallelSetup } from '../src/train/index.js';
import { ReferenceModel } from './reference-model.js';
import { cpuMs, stats, TorchPeer, type Stats, type Timings } from './torch-peer.js';

interface Size {
  B: number;
  T: number;
  D: number;
}

/** One replica of the reference model with its loss and optimizer (run in each worker). */
export function buildReference(options: unknown): ParallelSetup {
  const { D } = options as Size;
  const model = new ReferenceModel(D, 4, 2, 0);
  return {
    optimizer: new AdamW(model.namedParameters(), { lr: 1e-3, weightDecay: 0.01 }),
    loss: (b) => tf.mean(tf.squaredDifference(model.forward(b['x']!), b['y']!)) as tf.Scalar,
    dispose: () => model.dispose(),
  };
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const repo = join(here, '..', '..', '..');
  const smoke = process.env['ASTRO_SMOKE'] === '1';
  const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? (smoke ? 2 : 5));
  const STEPS = Number(process.env['BENCH_STEPS'] ?? 2);
  const size: Size = smoke ? { B: 4, T: 32, D: 128 } : { B: 32, T: 128, D: 128 };
  const { B, T, D } = size;
  const uptime = (): string => {
    try {
      return execFileSync('uptime', { encoding: 'utf8' }).trim();
    } catch {
      return loadavg().join(' ');
    }
  };
  const load = (): number[] => loadavg().map((x) => Number(x.toFixed(2)));
  const r4 = (x: number): number => Number(x.toPrecision(4));
  const round = (s: Stats): Stats => ({ median: r4(s.median), min: r4(s.min), max: r4(s.max), n: s.n });
  const loadBefore = load();
  const uptimeBefore = uptime();
  console.log(`parallel bench: B${B} T${T} D${D}, ${ROUNDS} rounds × ${STEPS} steps; ${uptimeBefore}`);

  await ready({ backend: 'wasm', strict: true });
  const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 2);
  const y = tf.randomNormal([B, T, D], 0, 1, 'float32', 3);
  const batch: Record<string, HostTensor> = {
    x: { data: x.dataSync() as Float32Array, shape: [B, T, D] },
    y: { data: y.dataSync() as Float32Array, shape: [B, T, D] },
  };

  // In-process (no workers): the same step core.bench.ts times.
  const model = new ReferenceModel(D, 4, 2, 0);
  const opt = new AdamW(model.namedParameters(), { lr: 1e-3, weightDecay: 0.01 });
  const inProcess = async (): Promise<void> => {
    const { loss } = opt.minimize(() => tf.mean(tf.squaredDifference(model.forward(x), y)) as tf.Scalar);
    await loss.data();
    loss.dispose();
  };
  const spec = { module: fileURLToPath(import.meta.url), exportName: 'buildReference', options: size };
  const t0 = performance.now();
  const w1 = await DataParallelTrainer.create(spec, { workers: 1 });
  const w2 = await DataParallelTrainer.create(spec, { workers: 2 });
  const startMs = performance.now() - t0;
  const torch1 = await TorchPeer.start(repo, 1);
  const torch2 = await TorchPeer.start(repo, 2);
  const missing: Record<string, string> = {};
  if (torch1.missing) missing['torch_1thread'] = torch1.missing;
  if (torch2.missing) missing['torch_2threads'] = torch2.missing;

  const sides: Record<string, () => Promise<void>> = {
    core_inprocess: inProcess,
    core_1worker: async () => void (await w1.step(batch)),
    core_2workers: async () => void (await w2.step(batch)),
  };
  for (const fn of Object.values(sides)) for (let i = 0; i < 2; i++) await fn(); // warm-up
  const times: Record<string, Timings> = {};
  const add = (k: string, t: Timings): void => {
    times[k] ??= { ms: [], cpu: [] };
    times[k].ms.push(...t.ms);
    times[k].cpu.push(...t.cpu);
  };
  const loads: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, fn] of Object.entries(sides)) {
      for (let i = 0; i < STEPS; i++) {
        const c0 = cpuMs();
        const s0 = performance.now();
        await fn();
        add(k, { ms: [performance.now() - s0], cpu: [cpuMs() - c0] });
      }
    }
    for (const [k, peer] of [
      ['torch_1thread', torch1],
      ['torch_2threads', torch2],
    ] as const) {
      const t = await peer.times({ op: 'step', B, T, D, H: 4, reps: STEPS });
      if (t) add(k, t);
    }
    loads.push(loadavg()[0]!);
    const med = (k: string): string =>
      times[k] ? `${stats(times[k].ms).median.toFixed(0)}/${stats(times[k].cpu).median.toFixed(0)}` : '–';
    console.log(
      `round ${r + 1}: wall/cpu ms ${Object.keys(times)
        .map((k) => `${k} ${med(k)}`)
        .join(', ')}; load ${loads.at(-1)!.toFixed(1)}`,
    );
  }
  await w1.close();
  await w2.close();
  torch1.close();
  torch2.close();
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();

  const wall: Record<string, Stats> = {};
  const cpu: Record<string, Stats> = {};
  for (const [k, t] of Object.entries(times)) {
    wall[k] = round(stats(t.ms));
    cpu[k] = round(stats(t.cpu));
  }
  const torchVersion = String(torch1.info['torch'] ?? torch2.info['torch'] ?? '');
  const compare = (ours: string, peer: string, peerName: string): Record<string, unknown> => {
    const o = wall[ours];
    const p = wall[peer];
    const miss = missing[peer];
    return {
      name: `reference train step (B${B} T${T} D${D}, 4 heads, 2 blocks, AdamW): ${ours} vs ${peer}`,
      unit: 'ms',
      ours: o?.median ?? null,
      peer: peerName,
      peerValue: p?.median ?? null,
      ours_over_peer_time: o && p ? r4(o.median / p.median) : null,
      ours_over_peer_cpu_time: cpu[ours] && cpu[peer] ? r4(cpu[ours].median / cpu[peer].median) : null,
      ...(miss ? { missing: miss } : {}),
    };
  };
  const result = {
    package: '@astro/core',
    bench: 'parallel',
    date: new Date().toISOString(),
    commit: (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
      } catch {
        return 'unknown';
      }
    })(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${platform()}-${arch()}`, node: process.version },
    load: { before: loadBefore, after: load(), perRound1min: loads.map((l) => Number(l.toFixed(2))), uptimeBefore, uptimeAfter: uptime() },
    method:
      `${ROUNDS} interleaved rounds; each round times ${STEPS} steps of every side (core in-process, ` +
      `DataParallelTrainer with 1 and 2 wasm workers, PyTorch ${torchVersion} CPU with 1 and 2 threads); ` +
      `medians over all ${ROUNDS * STEPS} steps after 2 warm-up steps per side; CPU time is the whole process ` +
      `(all worker threads / all torch threads).`,
    size,
    workerStartMs: r4(startMs),
    missing,
    step_ms: { wall, cpu },
    comparisons: [
      compare('core_1worker', 'torch_1thread', `torch ${torchVersion} CPU, 1 thread`),
      compare('core_2workers', 'torch_2threads', `torch ${torchVersion} CPU, 2 threads`),
      compare('core_2workers', 'torch_1thread', `torch ${torchVersion} CPU, 1 thread`),
      compare('core_inprocess', 'torch_1thread', `torch ${torchVersion} CPU, 1 thread`),
    ],
    core_2workers_over_1worker_time:
      wall['core_2workers'] && wall['core_1worker'] ? r4(wall['core_2workers'].median / wall['core_1worker'].median) : null,
    core_2workers_over_1worker_cpu_time:
      cpu['core_2workers'] && cpu['core_1worker'] ? r4(cpu['core_2workers'].median / cpu['core_1worker'].median) : null,
    core_1worker_over_inprocess_time:
      wall['core_1worker'] && wall['core_inprocess'] ? r4(wall['core_1worker'].median / wall['core_inprocess'].median) : null,
    torch_2threads_over_1thread_time:
      wall['torch_2threads'] && wall['torch_1thread'] ? r4(wall['torch_2threads'].median / wall['torch_1thread'].median) : null,
  };
  const out = join(repo, 'bench', 'results', smoke ? 'core-parallel.smoke.json' : 'core-parallel.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
  console.log(`wrote ${out}`);
}

if (isMainThread) await main();
