import type { Photometry } from '../catalogue/photometry.js';
import { ClapPhotoz, type ClapPrediction } from '../clap/model.js';
import { KnnPhotoz } from '../baselines/knn.js';
import { SoftmaxPhotoz } from '../baselines/softmax.js';
import { nodeFiles } from './files.js';

/** Folders of a model directory written by `astro-photoz train`: CLAP at the top, baselines below. */
export const BASELINE_DIRS = { knn: 'baselines/knn', softmax: 'baselines/softmax' } as const;

/** The models of an `astro-photoz` model directory. */
export interface PhotozBundle {
  clap: ClapPhotoz;
  knn: KnnPhotoz;
  softmax: SoftmaxPhotoz;
}

/** Load CLAP and its baselines from a model directory written by `astro-photoz train` (Node only). */
export async function loadBundle(dir: string): Promise<PhotozBundle> {
  const { path } = nodeFiles();
  const clap = await ClapPhotoz.load(dir);
  const knn = await KnnPhotoz.load(path.join(dir, BASELINE_DIRS.knn));
  const softmax = await SoftmaxPhotoz.load(path.join(dir, BASELINE_DIRS.softmax));
  return { clap, knn, softmax };
}

/** Save CLAP and its baselines into one model directory (Node only). */
export async function saveBundle(dir: string, b: PhotozBundle): Promise<void> {
  const { path } = nodeFiles();
  await b.clap.save(dir);
  await b.knn.save(path.join(dir, BASELINE_DIRS.knn));
  await b.softmax.save(path.join(dir, BASELINE_DIRS.softmax));
}

/** PDFs of every method of the bundle for one catalogue, keyed by the names used in metrics files. */
export async function predictBundle(b: PhotozBundle, cat: Photometry): Promise<Record<string, ClapPrediction>> {
  return {
    'CLAP': await b.clap.predict(cat),
    'CLAP raw (realisation 0)': await b.clap.predict(cat, 'raw'),
    'CLAP recalibrated (realisation 0)': await b.clap.predict(cat, 'recalibrated'),
    [`KNN (k=${b.knn.config.k}, colours)`]: await b.knn.predict(cat),
    'softmax over bins (MLP)': await b.softmax.predict(cat),
  };
}
