// Image-path benchmark: Sérsic cutout rendering (galaxies/s), and the CNN image encoder (channels 16/32/32, 32×32×5)
// encoding and training throughput against the same network in PyTorch on the CPU, run in the same process
// tree (bench/torch_cnn.py through /usr/bin/python3); ratio = torch time ÷ ours (> 1: we are faster).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '@astro/core';
import { DEFAULT_IMAGE_ENCODER, ImageEncoder, loadSdssFilters, loadSedTemplates, simulateCatalogue, simulateCutouts } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

async function best(f: () => Promise<unknown> | unknown): Promise<number> {
  let b = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    await f();
    b = Math.min(b, performance.now() - t);
  }
  return b / 1000;
}

/** Run the image benchmark on `n` galaxies; returns the JSON block for bench/results/clap-photoz.json. */
export async function benchImages(n: number): Promise<Record<string, unknown>> {
  const cat = simulateCatalogue(await loadSedTemplates(), await loadSdssFilters(), { n, seed: 3 });
  const t0 = performance.now();
  simulateCutouts(cat, { seed: 4 });
  const renderS = (performance.now() - t0) / 1000;
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
      const { value, grads } = tf.variableGrads(() => tf.sum(enc.forward(tf.slice(x, [s, 0, 0, 0], [Math.min(128, n - s), -1, -1, -1]))) as tf.Scalar);
      await value.data();
      tf.dispose([value, ...Object.values(grads)]);
    }
  };
  const encodeS = await best(encode);
  const trainS = await best(train);
  enc.dispose();
  x.dispose();
  const py = spawnSync('/usr/bin/python3', [join(here, 'torch_cnn.py'), String(n)], { encoding: 'utf8' });
  const torch = py.status === 0 ? (JSON.parse(py.stdout) as { threads: number; encode_s: number; train_s: number }) : null;
  return {
    galaxies: n,
    render_galaxies_per_s: n / renderS,
    cnn: { encode_images_per_s: n / encodeS, train_images_per_s: n / trainS },
    torch_cpu: torch ? { threads: torch.threads, encode_images_per_s: n / torch.encode_s, train_images_per_s: n / torch.train_s } : { error: py.stderr.slice(0, 300) },
    encode_ratio_vs_torch: torch ? torch.encode_s / encodeS : null,
    train_ratio_vs_torch: torch ? torch.train_s / trainS : null,
  };
}
