// WebGPU benchmark for a machine with a real GPU (`pnpm bench:gpu` at the repository root):
// matmul GFLOP/s, the reference training step and the SpecCLIP-size encoder forward on tfjs's
// webgpu backend (Dawn in Node through the `webgpu` package), each against PyTorch CUDA on the
// same machine when torch with CUDA is importable (else reported as missing). Prints one JSON
// object and writes <repo>/bench/results/core-gpu.json. Bounded to ~7.5 minutes: whatever is
// measured by then is printed and written.
//
//   GPU_SMALL=1  small sizes (to check the script end to end on SwiftShader:
//                VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR=/tmp)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready, tf } from '../src/index.js';
import { AdamW } from '../src/optim/index.js';
import { LayerNorm, TransformerBlock } from '../src/nn/index.js';
import { ReferenceModel } from './reference-model.js';
import { stats, TorchPeer } from './torch-peer.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const small = process.env['GPU_SMALL'] === '1' || process.env['ASTRO_SMOKE'] === '1';
const started = Date.now();
const BUDGET_MS = 450_000;
const REPS = small ? 3 : 7;
const sizes = small ? [128, 256] : [1024, 2048, 4096];
const STEP = small ? { B: 4, T: 32, D: 128, H: 4 } : { B: 32, T: 128, D: 128, H: 4 };
const EMBED = small ? { tokens: 20, dim: 64, depth: 1, heads: 4, batch: 4 } : { tokens: 100, dim: 64, depth: 2, heads: 4, batch: 32 };
const r4 = (x: number): number => Number(x.toPrecision(4));

const result: Record<string, unknown> = {
  package: 'core-gpu',
  small,
  date: new Date().toISOString(),
  commit: (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
  load: { before: loadavg().map(r4) },
  method: `median of ${REPS} after 2 warm-ups; each timing ends with a readback of one scalar (GPU work finished)`,
};
const comparisons: Record<string, unknown>[] = [];
const missing: Record<string, string> = {};
result['comparisons'] = comparisons;
result['missing'] = missing;

function finish(): never {
  (result['load'] as Record<string, unknown>)['after'] = loadavg().map(r4);
  result['elapsed_s'] = Math.round((Date.now() - started) / 1000);
  mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repo, 'bench', 'results', small ? 'core-gpu.smoke.json' : 'core-gpu.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
setTimeout(() => {
  result['stopped'] = `time budget of ${BUDGET_MS / 1000} s reached; partial results`;
  finish();
}, BUDGET_MS).unref();

async function time(fn: () => Promise<void>): Promise<number> {
  await fn();
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return stats(ms).median;
}

let info;
try {
  info = await ready({ backend: 'webgpu', strict: true });
} catch (e) {
  result['error'] = `webgpu unavailable: ${(e as Error).message}`;
  finish();
}
result['adapter'] = info.adapter;
const torch = await TorchPeer.start(repo, 1, 'cuda');
if (torch.missing) missing['torch_cuda'] = torch.missing;
else result['peer'] = torch.info;
const peerMs = async (cmd: Record<string, unknown>): Promise<number | null> => {
  const t = await torch.times({ ...cmd, reps: REPS });
  return t ? stats(t.ms).median : null;
};
const compare = (name: string, unit: string, ours: number, peer: number | null, oursOverPeerTime: number | null): void => {
  comparisons.push({
    name,
    unit,
    ours: r4(ours),
    peer: 'torch CUDA',
    peerValue: peer === null ? null : r4(peer),
    ours_over_peer_time: oursOverPeerTime === null ? null : r4(oursOverPeerTime),
    ...(peer === null ? { missing: torch.missing ?? 'peer failed' } : {}),
  });
};

// matmul
const matmul: Record<string, Record<string, number | null>> = {};
result['matmul_gflops'] = matmul;
for (const n of sizes) {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const ms = await time(async () => {
    const s = tf.tidy(() => tf.sum(tf.matMul(a, a)));
    await s.data();
    s.dispose();
  });
  a.dispose();
  const ours = (2 * n ** 3) / (ms / 1e3) / 1e9;
  const pms = await peerMs({ op: 'matmul', batch: 1, m: n, k: n, n });
  const peer = pms === null ? null : (2 * n ** 3) / (pms / 1e3) / 1e9;
  matmul[`${n}³`] = { webgpu: r4(ours), torch_cuda: peer === null ? null : r4(peer) };
  compare(`matmul ${n}³ webgpu vs torch CUDA`, 'GFLOP/s', ours, peer, peer === null ? null : peer / ours);
  console.error(`matmul ${n}: ${ours.toFixed(1)} GFLOP/s (torch ${peer?.toFixed(1) ?? 'missing'})`);
}

// reference training step
{
  const model = new ReferenceModel(STEP.D, STEP.H, 2, 0);
  const opt = new AdamW(model.namedParameters(), { lr: 1e-3, weightDecay: 0.01 });
  const x = tf.randomNormal([STEP.B, STEP.T, STEP.D], 0, 1, 'float32', 2);
  const y = tf.randomNormal([STEP.B, STEP.T, STEP.D], 0, 1, 'float32', 3);
  const ms = await time(async () => {
    const { loss } = opt.minimize(() => tf.mean(tf.squaredDifference(model.forward(x), y)) as tf.Scalar);
    await loss.data();
    loss.dispose();
  });
  tf.dispose([x, y]);
  opt.dispose?.();
  model.dispose();
  const peer = await peerMs({ op: 'step', ...STEP });
  result['train_step_ms'] = { webgpu: r4(ms), torch_cuda: peer === null ? null : r4(peer) };
  compare(
    `reference train step (B${STEP.B} T${STEP.T} D${STEP.D}, 4 heads, 2 blocks, AdamW) webgpu vs torch CUDA`,
    'ms',
    ms,
    peer,
    peer === null ? null : ms / peer,
  );
  console.error(`train step: ${ms.toFixed(1)} ms (torch ${peer?.toFixed(1) ?? 'missing'})`);
}

// SpecCLIP-size encoder forward
{
  const blocks = Array.from({ length: EMBED.depth }, (_, i) => new TransformerBlock(EMBED.dim, EMBED.heads, { seed: i }));
  const norm = new LayerNorm(EMBED.dim);
  const x = tf.randomNormal([EMBED.batch, EMBED.tokens, EMBED.dim], 0, 1, 'float32', 4);
  const ms = await time(async () => {
    const s = tf.tidy(() => {
      let h: tf.Tensor = x;
      for (const b of blocks) h = b.forward(h);
      return tf.sum(norm.forward(h));
    });
    await s.data();
    s.dispose();
  });
  x.dispose();
  blocks.forEach((b) => b.dispose());
  norm.dispose();
  const peer = await peerMs({ op: 'embed', ...EMBED });
  result['embed_ms'] = { webgpu: r4(ms), torch_cuda: peer === null ? null : r4(peer) };
  compare(
    `SpecCLIP-size encoder forward (${EMBED.batch}×${EMBED.tokens}, dim ${EMBED.dim}) webgpu vs torch CUDA`,
    'ms',
    ms,
    peer,
    peer === null ? null : ms / peer,
  );
  console.error(`embed: ${ms.toFixed(1)} ms (torch ${peer?.toFixed(1) ?? 'missing'})`);
}
torch.close();
finish();
