// The computation the page runs, shared with the Node side of the end-to-end test so that both
// compute exactly the same thing: load the released bundle, reproduce its fingerprint, build a
// library of emulated spectra and search it with a noisy query.
import { tf } from '@astro/core';
import { parseSafetensors, type SafetensorsFile } from '@astro/core/io';
import { MLP } from '@astro/core/nn';
import { topK } from '@astro/core/kernels';
import { Rng } from '@astro/core/random';

/** Reads one file of the bundle folder (fetch in the browser, fs in Node). */
export type ReadFile = (name: string) => Promise<Uint8Array>;

export interface DemoResult {
  fingerprintMaxAbsErr: number;
  flux: number[];
  wavelengthAngstrom: number[];
  queryLabels: number[];
  neighbours: { index: number; labels: number[]; cosine: number }[];
}

const floats = (f: SafetensorsFile, name: string): Float32Array => {
  const t = f.tensors[name];
  if (!t) throw new Error(`bundle tensor '${name}' is missing`);
  return Float32Array.from(t.data as ArrayLike<number>);
};

/** Deterministic standard normals from core's one generator, identical in Node and browsers. */
function normals(n: number, seed: number): Float32Array {
  const rng = new Rng(seed).fork('query-noise');
  return Float32Array.from({ length: n }, () => rng.normal());
}

export async function runDemo(read: ReadFile): Promise<DemoResult> {
  const weights = parseSafetensors(await read('weights/weights.safetensors'));
  const scaling = parseSafetensors(await read('reference_scaling_inputs.safetensors'));
  const fpIn = parseSafetensors(await read('fingerprint_evaluation/inputs.safetensors'));
  const fpOut = parseSafetensors(await read('fingerprint_evaluation/outputs.safetensors'));
  const wl = parseSafetensors(await read('extras/wavelength_angstrom.safetensors'));

  // Flax Dense kernels are [in, out]; our Linear (like torch) stores [out, in].
  const layer = (i: number) => ({
    kernel: weights.tensors[`params/params/core_model/layers/${i}/kernel`]!,
    bias: floats(weights, `params/params/core_model/layers/${i}/bias`),
  });
  const sizes = [layer(0).kernel.shape[0]!, ...[0, 1, 2].map((i) => layer(i).kernel.shape[1]!)];
  const model = new MLP({ sizes, activation: 'gelu_tanh', seed: 0 });
  const state: Record<string, tf.Tensor> = {};
  for (let i = 0; i < 3; i++) {
    const { kernel, bias } = layer(i);
    state[`layers.${i}.weight`] = tf.transpose(
      tf.tensor2d(Float32Array.from(kernel.data as ArrayLike<number>), kernel.shape as [number, number]),
    );
    state[`layers.${i}.bias`] = tf.tensor1d(bias);
  }
  model.loadStateDict(state);
  tf.dispose(Object.values(state));

  // 1. Fingerprint: canonical (min-max scaled) inputs → flux, against the released outputs.
  const x0 = tf.tensor2d(floats(fpIn, 'parameters'), [1, sizes[0]!]);
  const flux = Array.from(await model.forward(x0).data());
  const ref = floats(fpOut, 'flux');
  const fingerprintMaxAbsErr = flux.reduce((m, v, i) => Math.max(m, Math.abs(v - ref[i]!)), 0);

  // 2. Library on an 8×8×8 grid of canonical labels, and a noisy off-grid query (S/N 50).
  const lo = floats(scaling, 'min/parameters');
  const hi = floats(scaling, 'max/parameters');
  const g = 8;
  const grid: number[][] = [];
  for (let a = 0; a < g; a++) for (let b = 0; b < g; b++) for (let c = 0; c < g; c++) grid.push([a / (g - 1), b / (g - 1), c / (g - 1)]);
  const physical = (u: number[]) => u.map((v, j) => lo[j]! + v * (hi[j]! - lo[j]!));
  const queryCanonical = [0.37, 0.61, 0.52];
  const library = tf.tidy(() => {
    const f = model.forward(tf.tensor2d(grid));
    return tf.sub(f, tf.mean(f, 1, true)); // compare line shapes, not continuum level
  });
  const query = tf.tidy(() => {
    const f = model.forward(tf.tensor2d([queryCanonical]));
    const noisy = tf.add(f, tf.mul(tf.div(f, 50), tf.tensor2d(normals(f.size, 7), f.shape as [number, number])));
    return tf.sub(noisy, tf.mean(noisy, 1, true));
  });
  const nn = await topK(query as tf.Tensor2D, library as tf.Tensor2D, { k: 5, metric: 'cosine' });
  const neighbours = Array.from(nn.indices, (index, r) => ({
    index,
    labels: physical(grid[index]!),
    cosine: nn.values[r]!,
  }));
  tf.dispose([x0, library, query]);
  model.dispose();
  return {
    fingerprintMaxAbsErr,
    flux,
    wavelengthAngstrom: Array.from(wl.tensors['value']!.data as ArrayLike<number>),
    queryLabels: physical(queryCanonical),
    neighbours,
  };
}
