import type { Photometry } from '../catalogue/photometry.js';
import { ClapPhotoz, type ClapPrediction } from '../clap/model.js';
import { KnnPhotoz } from '../baselines/knn.js';
import { SoftmaxPhotoz } from '../baselines/softmax.js';
import { loadSdssFilters, loadSedTemplates } from '../sed/spectra.js';
import { TemplateFitPhotoz } from '../template/fit.js';
import { fileExists, joinPath, readFileIn, writeFiles } from './files.js';

/** Folders of a model directory written by `astro-photoz train`: CLAP at the top, baselines below. */
export const BASELINE_DIRS = { knn: 'baselines/knn', softmax: 'baselines/softmax', template: 'baselines' } as const;
const TEMPLATE_FILE = 'template-fit.json';

/** Where the template-fitting baseline finds its SEDs and filters (default: the shared data's `photoz/sed-templates` and `photoz/filters`). */
export interface BundleDataOptions {
  templatesDir?: string;
  filtersDir?: string;
}

/** The models of an `astro-photoz` model directory. */
export interface PhotozBundle {
  clap: ClapPhotoz;
  knn: KnnPhotoz;
  softmax: SoftmaxPhotoz;
  /** BPZ-like template fitting (optional: it needs the template and filter files). */
  template?: TemplateFitPhotoz;
}

/** Load CLAP and its baselines from a model directory written by `astro-photoz train` (Node only); the template baseline when it was trained. */
export async function loadBundle(dir: string, data: BundleDataOptions = {}): Promise<PhotozBundle> {
  const clap = await ClapPhotoz.load(dir);
  const knn = await KnnPhotoz.load(joinPath(dir, BASELINE_DIRS.knn));
  const softmax = await SoftmaxPhotoz.load(joinPath(dir, BASELINE_DIRS.softmax));
  const b: PhotozBundle = { clap, knn, softmax };
  const tdir = joinPath(dir, BASELINE_DIRS.template);
  const has = await fileExists(tdir, TEMPLATE_FILE);
  if (has) {
    const json: unknown = JSON.parse(await readFileIn(tdir, TEMPLATE_FILE, 'utf8'));
    b.template = TemplateFitPhotoz.fromJSON(json, await loadSedTemplates(data.templatesDir), await loadSdssFilters(data.filtersDir));
  }
  return b;
}

/** Save CLAP and its baselines into one model directory (Node only). */
export async function saveBundle(dir: string, b: PhotozBundle): Promise<void> {
  await b.clap.save(dir);
  await b.knn.save(joinPath(dir, BASELINE_DIRS.knn));
  await b.softmax.save(joinPath(dir, BASELINE_DIRS.softmax));
  if (b.template) await writeFiles(joinPath(dir, BASELINE_DIRS.template), { [TEMPLATE_FILE]: `${JSON.stringify(b.template, null, 1)}\n` });
}

/** PDFs of every method of the bundle for one catalogue, keyed by the names used in metrics files. */
export async function predictBundle(b: PhotozBundle, cat: Photometry): Promise<Record<string, ClapPrediction>> {
  return {
    CLAP: await b.clap.predict(cat),
    ...(b.clap.config.refit ? { 'CLAP refit network': await b.clap.predict(cat, 'refit') } : {}),
    'CLAP raw (realisation 0)': await b.clap.predict(cat, 'raw'),
    'CLAP recalibrated (realisation 0)': await b.clap.predict(cat, 'recalibrated'),
    [`KNN (k=${b.knn.config.k}, colours)`]: await b.knn.predict(cat),
    'softmax over bins (MLP)': await b.softmax.predict(cat),
    ...(b.template ? { 'template fitting (BPZ-like)': b.template.predict(cat) } : {}),
  };
}
