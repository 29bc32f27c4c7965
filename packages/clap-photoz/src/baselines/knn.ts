import { FormatError, ShapeError, ValueError } from '@astro/core';
import { encodeSafetensors, parseSafetensors } from '@astro/core/io';
import { checkModelConfig, parseModelConfig } from '@astro/core/train';
import { colourFeatures, FEATURE_NAMES, fitStandardizer, N_FEATURES, standardize, type Standardizer } from '../catalogue/features.js';
import type { Photometry } from '../catalogue/photometry.js';
import type { ClapPrediction } from '../clap/model.js';
import { knnPdfs, neighbours } from '../knn/knn-pdf.js';
import { pointEstimates } from '../metrics/point.js';
import { assertOnGrid, zGrid, type ZGrid } from '../pdf/grid.js';
import { numberArray, numberField, objectField } from '../persist/check.js';
import { readFileIn, upgradeKind, writeFiles } from '../persist/files.js';

/** `kind` of a saved {@link KnnPhotoz}. */
export const KNN_KIND = '@astro/clap-photoz/KnnPhotoz';
const SCHEMA = 1;
const DATA_FILE = 'training.safetensors';

/** Configuration of the plain KNN baseline. */
export interface KnnConfig {
  /** Neighbours per galaxy (default 20). */
  k: number;
  /** Gaussian kernel width in Δz/(1+z) (default 0.01). */
  bandwidth: number;
  /** Redshift grid of the PDFs (default 0 to 0.8 by 0.0025). */
  grid: ZGrid;
}

/**
 * The plain KNN baseline of the CLAP paper: the k nearest training galaxies in standardised
 * colour space (u−g, g−r, r−i, i−z, r) give a Gaussian kernel density of their z_spec.
 * Saved as `config.json` + `training.safetensors` (`features` [n, 5] in mag, `z_spec` [n]).
 */
export class KnnPhotoz {
  readonly config: KnnConfig;
  private features: Float64Array | undefined;
  private zTrain: Float64Array | undefined;
  private std: Standardizer | undefined;

  constructor(config: Partial<KnnConfig> = {}) {
    this.config = { k: config.k ?? 20, bandwidth: config.bandwidth ?? 0.01, grid: config.grid ?? zGrid(0, 0.8, 0.0025) };
    if (!Number.isInteger(this.config.k) || this.config.k < 1)
      throw new ValueError(`KnnPhotoz: k must be a positive integer, got ${this.config.k}`);
  }

  /** Keep the training catalogue's features and redshifts. @throws {ValueError} without z_spec, or off-grid redshifts. */
  fit(train: Photometry): void {
    if (!train.zSpec) throw new ValueError('KnnPhotoz.fit: the training catalogue has no z_spec column');
    if (train.n < this.config.k) throw new ValueError(`KnnPhotoz.fit: ${train.n} training galaxies are fewer than k = ${this.config.k}`);
    assertOnGrid(this.config.grid, train.zSpec, 'training z_spec');
    this.features = colourFeatures(train);
    this.std = fitStandardizer(this.features, N_FEATURES);
    this.zTrain = Float64Array.from(train.zSpec);
  }

  /** KNN PDFs of a catalogue on the grid with mean/mode/median. @throws {ValueError} if not fitted. */
  async predict(cat: Photometry): Promise<ClapPrediction> {
    if (!this.features || !this.zTrain || !this.std) throw new ValueError('KnnPhotoz.predict: the model is not fitted');
    const nb = await neighbours(
      standardize(colourFeatures(cat), this.std),
      standardize(this.features, this.std),
      N_FEATURES,
      this.config.k,
    );
    const pdfs = knnPdfs(nb, this.zTrain, this.config.grid, this.config.k, this.config.bandwidth);
    return { pdfs, summary: pointEstimates(pdfs) };
  }

  /** Save into a directory (Node only). */
  async save(dir: string): Promise<void> {
    if (!this.features || !this.zTrain) throw new ValueError('KnnPhotoz.save: the model is not fitted');
    const n = this.zTrain.length;
    const config = {
      kind: KNN_KIND,
      schemaVersion: SCHEMA,
      hyperParameters: { ...this.config },
      features: [...FEATURE_NAMES],
      units: 'mag',
    };
    const data = encodeSafetensors({
      features: { shape: [n, N_FEATURES], data: this.features },
      z_spec: { shape: [n], data: this.zTrain },
    });
    await writeFiles(dir, { [DATA_FILE]: data, 'config.json': `${JSON.stringify(config, null, 2)}\n` });
  }

  /** Load a directory written by {@link KnnPhotoz.save}: `SchemaError`, `FormatError` or `ShapeError` when it is not one. */
  static async load(dir: string): Promise<KnnPhotoz> {
    const c = parseModelConfig(upgradeKind(await readFileIn(dir, 'config.json', 'utf8'), 'KnnPhotoz', KNN_KIND));
    checkModelConfig(c, { kind: KNN_KIND, schemaVersion: SCHEMA });
    const hp = objectField(c, 'hyperParameters', 'config.json');
    const g = objectField(hp, 'grid', 'config.json');
    const m = new KnnPhotoz({
      k: numberField(hp, 'k', 'config.json'),
      bandwidth: numberField(hp, 'bandwidth', 'config.json'),
      grid: { zMin: numberField(g, 'zMin', 'config.json'), dz: numberField(g, 'dz', 'config.json'), n: numberField(g, 'n', 'config.json') },
    });
    const t = parseSafetensors(await readFileIn(dir, DATA_FILE));
    const f = t.tensors['features'];
    const z = t.tensors['z_spec'];
    if (!f || !z) throw new FormatError(DATA_FILE, "needs tensors 'features' and 'z_spec'");
    const n = z.shape[0] ?? 0;
    if (z.shape.length !== 1 || f.shape.length !== 2 || f.shape[0] !== n || f.shape[1] !== N_FEATURES) {
      throw new ShapeError(`${DATA_FILE}: features [${f.shape}] and z_spec [${z.shape}] must be [n, ${N_FEATURES}] and [n]`);
    }
    const zs = Float64Array.from(numberArray(Array.from(z.data as Float64Array), 'z_spec', DATA_FILE));
    assertOnGrid(m.config.grid, zs, 'saved training z_spec');
    m.features = Float64Array.from(f.data as Float64Array);
    m.std = fitStandardizer(m.features, N_FEATURES);
    m.zTrain = zs;
    return m;
  }
}
