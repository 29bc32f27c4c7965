import { parseArgs } from 'node:util';
import { ready, ValueError } from '@astro/core';
import { writeNpy } from '@astro/core/io';
import { KnnPhotoz } from '../baselines/knn.js';
import { SoftmaxPhotoz } from '../baselines/softmax.js';
import type { Photometry } from '../catalogue/photometry.js';
import { readPhotometry } from '../catalogue/read.js';
import { ClapPhotoz, type ClapPrediction } from '../clap/model.js';
import { evaluatePdfs, type PhotozMetrics } from '../metrics/suite.js';
import { metricsTable } from '../metrics/table.js';
import { gridZ } from '../pdf/grid.js';
import { writeFiles, nodeFiles } from '../persist/files.js';
import { loadSdssFilters, loadSedTemplates } from '../sed/spectra.js';
import { TemplateFitPhotoz } from '../template/fit.js';
import { loadBundle, predictBundle, saveBundle, type PhotozBundle } from '../persist/bundle.js';

/** Usage text of the `astro-photoz` command. */
export const USAGE = `astro-photoz <command> [options]

  train --train FILE --valid FILE --model DIR [--epochs 40] [--realisations 3] [--seed 1] [--refit]
      fit CLAP and its baselines (KNN, softmax over bins, BPZ-like template fitting unless
      --no-templates) on an 11-column catalogue
      (u g r i z, 5 errors, z_spec) or an Arrow IPC file (.arrow/.feather: mag, mag_err, z_spec);
      print and save every metric on --valid (DIR/valid-metrics.json); --refit also trains
      CLAP's refit networks (latent → calibrated PDF, no neighbour search at prediction)
  evaluate --model DIR --test FILE [--out metrics.json] [--pdfs pdfs.json|pdfs.npy]
      every metric for CLAP and the baselines on a catalogue with z_spec (--out), and/or the
      per-galaxy PDFs on the model's redshift grid (--pdfs; a 10-column file has no metrics)

  common: --backend webgpu|wasm|cpu (default: best available)
          --on-missing error|drop   (missing magnitudes: 99/-99 sentinels, NaN; default error)
          --templates DIR --filters DIR  SEDs and SDSS filters of the template baseline
                                    (default ASTRO_DATA_DIR's photoz/sed-templates, photoz/filters)`;

/** A command-line usage error (exit code 2). */
export class UsageError extends ValueError {
  override name = 'UsageError';
}

const OPTIONS = {
  train: { type: 'string' }, valid: { type: 'string' }, model: { type: 'string' }, test: { type: 'string' },
  out: { type: 'string' }, pdfs: { type: 'string' }, epochs: { type: 'string' }, realisations: { type: 'string' },
  seed: { type: 'string' }, backend: { type: 'string' }, 'on-missing': { type: 'string' },
  templates: { type: 'string' }, filters: { type: 'string' }, 'no-templates': { type: 'boolean' }, refit: { type: 'boolean' },
} as const;

/**
 * Run the `astro-photoz` command with `argv` (without node and script paths); returns the exit
 * code. Output lines go through `log` (default console.log).
 * @throws {UsageError} on unknown commands, missing or malformed options.
 */
export async function runCli(argv: readonly string[], log: (s: string) => void = console.log): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    log(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd !== 'train' && cmd !== 'evaluate') throw new UsageError(`unknown command '${cmd}'\n\n${USAGE}`);
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args: [...rest], options: OPTIONS, strict: true }).values;
  } catch (e) {
    throw new UsageError(`${cmd}: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  }
  const need = (name: keyof typeof OPTIONS): string => {
    const v = values[name];
    if (typeof v !== 'string' || !v) throw new UsageError(`${cmd}: --${name} is required\n\n${USAGE}`);
    return v;
  };
  const int = (name: keyof typeof OPTIONS, dflt: number, min: number): number => {
    const v = values[name];
    if (typeof v !== 'string') return dflt;
    const x = v.trim() === '' ? NaN : Number(v);
    if (!Number.isSafeInteger(x) || x < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got '${v}'\n\n${USAGE}`);
    return x;
  };
  const onMissing = values['on-missing'] ?? 'error';
  if (onMissing !== 'error' && onMissing !== 'drop') throw new UsageError(`--on-missing must be error or drop, got '${onMissing}'`);
  const read = async (file: string): Promise<Photometry> => {
    const c = await readPhotometry(file, { onMissing });
    if (c.dropped.length) log(`${file}: dropped ${c.dropped.length} galaxies with a missing magnitude (rows ${Array.from(c.dropped.slice(0, 5), (r) => r + 1).join(', ')}${c.dropped.length > 5 ? ', …' : ''})`);
    return c;
  };
  const backend = values.backend;
  if (backend !== undefined && backend !== 'webgpu' && backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be webgpu, wasm or cpu, got '${backend}'`);
  if (cmd === 'train') {
    const [trainFile, validFile, dir] = [need('train'), need('valid'), need('model')];
    const epochs = int('epochs', 40, 1);
    const realisations = int('realisations', 3, 1);
    const seed = int('seed', 1, 0);
    const info = await ready(backend ? { backend, strict: true } : {});
    const train = await read(trainFile);
    const valid = await read(validFile);
    if (!train.zSpec || !valid.zSpec) throw new ValueError('train: --train and --valid need the z_spec column (11 columns)');
    log(`backend ${info.backend}; ${train.n} training, ${valid.n} validation galaxies`);
    const t0 = performance.now();
    const b: PhotozBundle = { clap: new ClapPhotoz({ realisations, refit: values.refit ? {} : null }), knn: new KnnPhotoz(), softmax: new SoftmaxPhotoz() };
    if (!values['no-templates']) b.template = new TemplateFitPhotoz(await loadSedTemplates(values.templates), await loadSdssFilters(values.filters));
    try {
      await b.clap.fit(train, { epochs, seed, onProgress: log });
      b.knn.fit(train);
      await b.softmax.fit(train, { epochs, seed, onProgress: log });
      b.template?.fit(train);
      log(`trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await saveBundle(dir, b);
      const metrics = await metricsOf(b, valid);
      await writeFiles(dir, { 'valid-metrics.json': `${JSON.stringify({ file: validFile, n: valid.n, backend: info.backend, metrics }, null, 1)}\n` });
      log(`validation (${valid.n} galaxies), point metrics of the PDF median:\n${metricsTable(metrics)}`);
      log(`saved ${dir}`);
    } finally {
      disposeBundle(b);
    }
    return 0;
  }
  const [dir, testFile] = [need('model'), need('test')];
  if (!values.out && !values.pdfs) throw new UsageError('evaluate: give --out metrics.json, --pdfs FILE or both');
  const info = await ready(backend ? { backend, strict: true } : {});
  const test = await read(testFile);
  const b = await loadBundle(dir, { ...(values.templates ? { templatesDir: values.templates } : {}), ...(values.filters ? { filtersDir: values.filters } : {}) });
  try {
    if (values.out) {
      if (!test.zSpec) throw new ValueError(`evaluate: ${testFile} has no z_spec column, so no metrics; use --pdfs alone`);
      const metrics = await metricsOf(b, test);
      await writeText(values.out, `${JSON.stringify({ model: dir, file: testFile, n: test.n, backend: info.backend, grid: b.clap.config.grid, metrics }, null, 1)}\n`);
      log(metricsTable(metrics));
      log(`wrote ${values.out}`);
    }
    if (values.pdfs) {
      await writePdfs(values.pdfs, await b.clap.predict(test), test);
      log(`wrote CLAP PDFs of ${test.n} galaxies to ${values.pdfs}`);
    }
  } finally {
    disposeBundle(b);
  }
  return 0;
}

async function metricsOf(b: PhotozBundle, cat: Photometry): Promise<Record<string, PhotozMetrics>> {
  const preds = await predictBundle(b, cat);
  return Object.fromEntries(Object.entries(preds).map(([k, p]) => [k, evaluatePdfs(p.pdfs, cat.zSpec!)]));
}

function disposeBundle(b: PhotozBundle): void {
  b.clap.dispose();
  b.softmax.dispose();
}

async function writeText(file: string, text: string): Promise<void> {
  const { fs, path } = nodeFiles();
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await fs.writeFile(file, text);
}

/**
 * Per-galaxy PDFs: `.npy` → float32 [m, grid.n] densities (grid in the metrics file and the model's
 * config.json); otherwise JSON with the grid, file rows, z_spec, mean/mode/median and densities.
 */
async function writePdfs(file: string, pred: ClapPrediction, cat: Photometry): Promise<void> {
  const { pdfs, summary } = pred;
  const G = pdfs.grid.n;
  if (file.endsWith('.npy')) {
    await writeNpy(file, { shape: [pdfs.m, G], data: Float32Array.from(pdfs.p), dtype: 'F32' });
    return;
  }
  const r = (v: number): number => Number(v.toPrecision(6));
  const galaxies = Array.from({ length: pdfs.m }, (_, i) => ({
    row: cat.rows[i]! + 1,
    ...(cat.zSpec ? { zSpec: cat.zSpec[i]! } : {}),
    mean: r(summary.mean[i]!), mode: r(summary.mode[i]!), median: r(summary.median[i]!),
    p: Array.from(pdfs.p.subarray(i * G, (i + 1) * G), r),
  }));
  const z = Array.from({ length: G }, (_, j) => r(gridZ(pdfs.grid, j)));
  await writeText(file, `${JSON.stringify({ grid: pdfs.grid, z, units: 'p(z) per unit redshift, linear between grid points', galaxies })}\n`);
}
