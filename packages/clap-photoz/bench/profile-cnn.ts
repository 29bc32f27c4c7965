// Profile of one training step of the image CNN (DEFAULT_IMAGE_ENCODER, images only, 128 × 32×32×5)
// on wasm with tf.profile: the top kernels by time (ms, summed over calls) and the step's wall time.
// Not a test: `pnpm exec tsx bench/profile-cnn.ts` (BATCH=128 PROFILE_BACKEND=wasm). Prints JSON.
import { loadavg } from 'node:os';
import { ready, tf } from '@astro/core';
import { DEFAULT_IMAGE_ENCODER, ImageEncoder } from '../src/index.js';

const backend = (process.env['PROFILE_BACKEND'] ?? 'wasm') as 'wasm' | 'cpu';
await ready({ backend, strict: true });
const batch = Number(process.env['BATCH'] ?? 128);
const enc = new ImageEncoder({ ...DEFAULT_IMAGE_ENCODER, useMagnitudes: 0 }, 0);
const x = tf.randomNormal([batch, 32, 32, 5], 0, 1, 'float32', 1);
const step = async (): Promise<void> => {
  const { value, grads } = tf.variableGrads(() => tf.sum(enc.forward(x)) as tf.Scalar);
  await value.data();
  for (const g of Object.values(grads)) await g.data();
  tf.dispose([value, ...Object.values(grads)]);
};
await step(); // warm-up
const walls: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  await step();
  walls.push(performance.now() - t);
}
const info = await tf.profile(step);
const byName = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : (k.kernelTimeMs as { error?: string }).error ? 0 : 0;
  const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
  e.ms += ms;
  e.calls += 1;
  byName.set(k.name, e);
}
const top = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10);
const total = [...byName.values()].reduce((a, e) => a + e.ms, 0);
// each kernel call with its input shapes, for the top kernel names
const calls = info.kernels
  .filter((k) => top.slice(0, 4).some(([n]) => n === k.name))
  .map((k) => ({ name: k.name, ms: +Number(k.kernelTimeMs).toFixed(2), inputs: k.inputShapes, outputs: k.outputShapes }))
  .sort((a, b) => b.ms - a.ms)
  .slice(0, 12);
console.log(
  JSON.stringify(
    {
      backend,
      batch,
      load: loadavg().map((v) => +v.toFixed(2)),
      step_wall_ms: walls.map((v) => +v.toFixed(1)),
      kernel_total_ms: +total.toFixed(1),
      top10: top.map(([name, e]) => ({ name, ms: +e.ms.toFixed(1), calls: e.calls })),
      slowest_calls: calls,
    },
    null,
    1,
  ),
);
enc.dispose();
x.dispose();
