import { FormatError } from '@astro/core';
import type { SpectralEmulator } from './emulator.js';
import { loadBundle } from './bundle/load.js';
import { PaynePixelModel } from './payne/pixel.js';
import { MLP_EMULATOR_KIND, MlpEmulator } from './payne/mlp.js';
import { TransformerPayne, savedKind } from './transformer/model.js';

/**
 * Load any emulator this package reads from a folder, by its layout: a released-style bundle
 * (`metadata.json` + `weights/`), a saved model (`config.json` + `model.safetensors`: an
 * `MlpEmulator` or a `TransformerPayne`, by the config's `kind`, the former `'transformer-payne'`
 * included), or a per-pixel Payne network (`w_array_0.npy` …).
 * @throws {FormatError} when the folder matches none of them.
 */
export async function loadEmulator(dir: string): Promise<SpectralEmulator> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const has = (f: string) => fs.existsSync(path.join(dir, f));
  if (has('metadata.json') && has('weights')) return loadBundle(dir);
  if (has('config.json') && has('model.safetensors')) {
    return (await savedKind(dir)) === MLP_EMULATOR_KIND ? MlpEmulator.load(dir) : TransformerPayne.load(dir);
  }
  if (has('w_array_0.npy')) return PaynePixelModel.load(dir);
  throw new FormatError(
    'emulator',
    `${dir} holds no emulator (expected a bundle, a saved MlpEmulator or TransformerPayne, or a per-pixel Payne network)`,
  );
}
