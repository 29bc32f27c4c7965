// Image-path benchmark: Sérsic cutout rendering (galaxies/s), and the CNN image encoder (channels 16/32/32, 32×32×5)
// encoding and training-step throughput against the same network in PyTorch on the CPU in the same run
// (bench/torch_cnn.py, pinned to 1 thread and with all threads). Ratios are ours / peer time: > 1 means we are slower.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '@astro/core';
import {
  DEFAULT_IMAGE_ENCODER,
  ImageEncoder,
  loadSdssFilters,
  loadSedTemplates,
  simulateCatalogue,
  simulateCutouts,
} from '../src/index.js';
import { compare, isMissing, pythonPeer, timeIt, type Comparison, type Timing } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));

interface TorchCnn {
  torch: string;
  '1thread': { threads: number; encode_s: Timing; train_s: Timing };
  all_threads: { threads: number; encode_s: Timing; train_s: Timing };
}

/** Run the image benchmark on `n` galaxies; returns the JSON block for bench/results/clap-photoz.json and its comparisons. */
export async function benchImages(n: number, runs = 5): Promise<{ block: Record<string, unknown>; comparisons: Comparison[] }> {
  const cat = simulateCatalogue(await loadSedTemplates(), await loadSdssFilters(), { n, seed: 3 });
  const render = await timeIt(() => simulateCutouts(cat, { seed: 4 }), 3);
  const enc = new ImageEncoder({ ...DEFAULT_IMAGE_ENCODER, useMagnitudes: 0 }, 0);
  const x = tf.randomNormal([n, 32, 32, 5], 0, 1, 'float32', 1);
  const encode = async (): Promise<void> => {
    for (let s = 0; s < n; s += 256) {
      const z = tf.tidy(() => enc.forward(tf.slice(x, [s, 0, 0, 0], [Math.min(256, n - s), -1, -1, -1])));
      await z.data();
      z.dispose();
    }
  };
  const train = async (): Promise<void> => {
    for (let s = 0; s < n; s += 128) {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(enc.forward(tf.slice(x, [s, 0, 0, 0], [Math.min(128, n - s), -1, -1, -1]))) as tf.Scalar,
      );
      await value.data();
      tf.dispose([value, ...Object.values(grads)]);
    }
  };
  const encodeT = await timeIt(encode, runs);
  const trainT = await timeIt(train, runs);
  enc.dispose();
  x.dispose();
  const torch = pythonPeer<TorchCnn>(join(here, 'torch_cnn.py'), [String(n), String(runs)]);
  const t1 = isMissing(torch) ? null : torch['1thread'];
  const ta = isMissing(torch) ? null : torch.all_threads;
  const comparisons = [
    compare(`CNN encode ${n} images: ours vs torch 1 thread (s)`, encodeT.median, 'torch_1thread', t1?.encode_s.median ?? null),
    compare(`CNN training step ${n} images: ours vs torch 1 thread (s)`, trainT.median, 'torch_1thread', t1?.train_s.median ?? null),
    compare(
      `CNN training step ${n} images: ours vs torch ${ta?.threads ?? 'all'} threads (s)`,
      trainT.median,
      'torch_all_threads',
      ta?.train_s.median ?? null,
    ),
  ];
  return {
    block: {
      galaxies: n,
      render_galaxies_per_s: n / render.median,
      render_s: render,
      cnn: { encode_s: encodeT, train_s: trainT, encode_images_per_s: n / encodeT.median, train_images_per_s: n / trainT.median },
      torch_cpu: torch,
      encode_time_ratio_ours_over_torch_1thread: t1 ? encodeT.median / t1.encode_s.median : null,
      train_step_time_ratio_ours_over_torch_1thread: t1 ? trainT.median / t1.train_s.median : null,
      encode_time_ratio_ours_over_torch_all_threads: ta ? encodeT.median / ta.encode_s.median : null,
      train_step_time_ratio_ours_over_torch_all_threads: ta ? trainT.median / ta.train_s.median : null,
    },
    comparisons,
  };
}
