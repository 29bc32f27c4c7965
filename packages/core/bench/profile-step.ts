// Top kernels of one reference training step on the wasm backend (tf.profile), grouped by
// kernel name and input shapes. npx tsx bench/profile-step.ts [--tfjs]  (core kernels off)
import { ready, tf, useWasmBatchMatMul } from '../src/index.js';
import { useWasmKernels } from '../src/index.js';
import { AdamW } from '../src/optim/index.js';
import { ReferenceModel } from './reference-model.js';

await ready({ backend: (process.env['ASTRO_BACKEND'] as 'wasm') ?? 'wasm', strict: true });
if (process.argv.includes('--tfjs')) {
  useWasmKernels('tfjs');
  useWasmBatchMatMul('tfjs');
}
const model = new ReferenceModel(128, 4, 2, 0);
const opt = new AdamW(model.namedParameters(), { lr: 1e-3, weightDecay: 0.01 });
const x = tf.randomNormal([32, 128, 128], 0, 1, 'float32', 2);
const y = tf.randomNormal([32, 128, 128], 0, 1, 'float32', 3);
const step = async (): Promise<void> => {
  const { loss } = opt.minimize(() => tf.mean(tf.squaredDifference(model.forward(x), y)) as tf.Scalar);
  await loss.data();
  loss.dispose();
};
await step();
await step();
const t0 = performance.now();
await step();
const wall = performance.now() - t0;
const info = await tf.profile(step);
const by = new Map<string, [number, number]>();
let total = 0;
for (const k of info.kernels) {
  const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  total += ms;
  const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join('')}`;
  const e = by.get(key) ?? [0, 0];
  by.set(key, [e[0] + ms, e[1] + 1]);
}
console.log(`step ${wall.toFixed(0)} ms, kernels sum ${total.toFixed(0)} ms, ${info.kernels.length} kernel calls`);
for (const [k, [ms, n]] of [...by.entries()].sort((a, b) => b[1][0] - a[1][0]).slice(0, Number(process.env['TOP'] ?? 30))) {
  console.log(`${ms.toFixed(1).padStart(8)} ms ${String(n).padStart(4)}× ${k}`);
}
