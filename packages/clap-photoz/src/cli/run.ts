import { ready, ValueError } from '@astro/core';
import {
  checkInputFile,
  checkOutputPath,
  describeOptions,
  parseCli,
  processIO,
  runMain,
  UsageError,
  writeOutputFile,
  type CliIO,
  type OptionsSpec,
} from '@astro/core/cli';
import { encodeNpy } from '@astro/core/io';
import { KnnPhotoz } from '../baselines/knn.js';
import { SoftmaxPhotoz } from '../baselines/softmax.js';
import type { Photometry } from '../catalogue/photometry.js';
import { readPhotometry } from '../catalogue/read.js';
import { ClapPhotoz, type ClapPrediction } from '../clap/model.js';
import { evaluatePdfs, type PhotozMetrics } from '../metrics/suite.js';
import { metricsTable } from '../metrics/table.js';
import { gridZ } from '../pdf/grid.js';
import { writeFiles } from '../persist/files.js';
import { loadSdssFilters, loadSedTemplates } from '../sed/spectra.js';
import { TemplateFitPhotoz } from '../template/fit.js';
import { loadBundle, predictBundle, saveBundle, type PhotozBundle } from '../persist/bundle.js';

export { UsageError };

const COMMON = {
  backend: { type: 'string', choices: ['webgpu', 'wasm', 'cpu'], description: 'backend (default: best available)' },
  'on-missing': { type: 'string', choices: ['error', 'drop'], default: 'error', description: 'missing magnitudes (99/-99 sentinels, NaN)' },
  templates: { type: 'string', description: 'SED folder of the template baseline (default ASTRO_DATA_DIR photoz/sed-templates)' },
  filters: { type: 'string', description: 'SDSS filter folder (default ASTRO_DATA_DIR photoz/filters)' },
} as const satisfies OptionsSpec;

const TRAIN = {
  train: { type: 'string', required: true, description: 'training catalogue (11 columns or Arrow)' },
  valid: { type: 'string', required: true, description: 'validation catalogue' },
  model: { type: 'string', required: true, description: 'output model folder' },
  epochs: { type: 'integer', default: 40, min: 1, description: 'epochs per network' },
  realisations: { type: 'integer', default: 3, min: 1, description: 'CLAP realisations' },
  seed: { type: 'integer', default: 1, min: 0, description: 'seed' },
  refit: { type: 'boolean', description: "also train CLAP's refit networks" },
  'no-templates': { type: 'boolean', description: 'skip the template-fitting baseline' },
  ...COMMON,
} as const satisfies OptionsSpec;

const EVALUATE = {
  model: { type: 'string', required: true, description: 'model folder written by train' },
  test: { type: 'string', required: true, description: 'catalogue to evaluate' },
  out: { type: 'string', description: 'metrics JSON file' },
  pdfs: { type: 'string', description: 'per-galaxy PDFs (.json or .npy)' },
  ...COMMON,
} as const satisfies OptionsSpec;

/** Usage text of the `astro-photoz` command. */
export const USAGE = `usage: astro-photoz <command> [options]

  train --train FILE --valid FILE --model DIR [--epochs 40] [--realisations 3] [--seed 1] [--refit]
      fit CLAP and its baselines (KNN, softmax over bins, BPZ-like template fitting unless
      --no-templates) on an 11-column catalogue
      (u g r i z, 5 errors, z_spec) or an Arrow IPC file (.arrow/.feather: mag, mag_err, z_spec);
      print and save every metric on --valid (DIR/valid-metrics.json); --refit also trains
      CLAP's refit networks (latent → calibrated PDF, no neighbour search at prediction)
  evaluate --model DIR --test FILE [--out metrics.json] [--pdfs pdfs.json|pdfs.npy]
      every metric for CLAP and the baselines on a catalogue with z_spec (--out), and/or the
      per-galaxy PDFs on the model's redshift grid (--pdfs; a 10-column file has no metrics)

train options:
${describeOptions(TRAIN)}

evaluate options:
${describeOptions(EVALUATE)}`;

/**
 * Run the `astro-photoz` command with `argv` (without node and script paths) and return the exit
 * status: 0, 1 on a data or file error, 2 on a usage error — each reported as one line on `io.err`
 * naming the file (stack traces with `--verbose` or `DEBUG`), as every `astro-*` CLI does.
 */
export function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  return runMain((a, o) => runCli(a, o), argv, { name: 'astro-photoz', usage: USAGE, io });
}

/**
 * The `astro-photoz` command without the error handling of {@link main}: throws what fails.
 * Results go to `log` (a function or a {@link CliIO}; default stdout). Outputs are written atomically.
 * @throws {UsageError} on unknown commands, unknown options, missing or malformed values.
 */
export async function runCli(argv: readonly string[], log: ((s: string) => void) | CliIO = processIO): Promise<number> {
  const say = typeof log === 'function' ? log : log.out;
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    say(USAGE);
    return cmd ? 0 : 2;
  }
  if (cmd !== 'train' && cmd !== 'evaluate') throw new UsageError(`unknown command '${cmd}' (train or evaluate)`);
  if (cmd === 'train') {
    const { values } = parseCli(rest, { options: TRAIN });
    if (values.help) {
      say(USAGE);
      return 0;
    }
    await checkInputFile(values.train);
    await checkInputFile(values.valid);
    await checkOutputPath(values.model, { directory: true, createParents: true });
    const onMissing = values['on-missing'] as 'error' | 'drop';
    const backend = values.backend as 'webgpu' | 'wasm' | 'cpu' | undefined;
    const info = await ready(backend ? { backend, strict: true } : {});
    const train = await read(values.train, onMissing, say);
    const valid = await read(values.valid, onMissing, say);
    if (!train.zSpec) throw new ValueError(`${values.train}: --train needs the z_spec column (11 columns)`);
    if (!valid.zSpec) throw new ValueError(`${values.valid}: --valid needs the z_spec column (11 columns)`);
    say(`backend ${info.backend}; ${train.n} training, ${valid.n} validation galaxies`);
    const t0 = performance.now();
    const b: PhotozBundle = {
      clap: new ClapPhotoz({ realisations: values.realisations, refit: values.refit ? {} : null }),
      knn: new KnnPhotoz(),
      softmax: new SoftmaxPhotoz(),
    };
    if (!values['no-templates'])
      b.template = new TemplateFitPhotoz(await loadSedTemplates(values.templates), await loadSdssFilters(values.filters));
    try {
      await b.clap.fit(train, { epochs: values.epochs, seed: values.seed, onMessage: say });
      b.knn.fit(train);
      await b.softmax.fit(train, { epochs: values.epochs, seed: values.seed, onMessage: say });
      b.template?.fit(train);
      say(`trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await saveBundle(values.model, b);
      const metrics = await metricsOf(b, valid);
      await writeFiles(values.model, {
        'valid-metrics.json': `${JSON.stringify({ file: values.valid, n: valid.n, backend: info.backend, metrics }, null, 1)}\n`,
      });
      say(`validation (${valid.n} galaxies), point metrics of the PDF median:\n${metricsTable(metrics)}`);
      say(`saved ${values.model}`);
    } finally {
      disposeBundle(b);
    }
    return 0;
  }
  const { values } = parseCli(rest, { options: EVALUATE });
  if (values.help) {
    say(USAGE);
    return 0;
  }
  if (!values.out && !values.pdfs) throw new UsageError('evaluate: give --out metrics.json, --pdfs FILE or both');
  await checkInputFile(values.test);
  if (values.out) await checkOutputPath(values.out);
  if (values.pdfs) await checkOutputPath(values.pdfs);
  await checkInputFile(`${values.model}/config.json`);
  const onMissing = values['on-missing'] as 'error' | 'drop';
  const backend = values.backend as 'webgpu' | 'wasm' | 'cpu' | undefined;
  const info = await ready(backend ? { backend, strict: true } : {});
  const test = await read(values.test, onMissing, say);
  if (values.out && !test.zSpec) throw new ValueError(`${values.test}: no z_spec column, so no metrics; use --pdfs alone`);
  const b = await loadBundle(values.model, {
    ...(values.templates ? { templatesDir: values.templates } : {}),
    ...(values.filters ? { filtersDir: values.filters } : {}),
  });
  try {
    if (values.out) {
      const metrics = await metricsOf(b, test);
      await writeOutputFile(
        values.out,
        `${JSON.stringify({ model: values.model, file: values.test, n: test.n, backend: info.backend, grid: b.clap.config.grid, metrics }, null, 1)}\n`,
      );
      say(metricsTable(metrics));
      say(`wrote ${values.out}`);
    }
    if (values.pdfs) {
      await writePdfs(values.pdfs, await b.clap.predict(test), test);
      say(`wrote CLAP PDFs of ${test.n} galaxies to ${values.pdfs}`);
    }
  } finally {
    disposeBundle(b);
  }
  return 0;
}

async function read(file: string, onMissing: 'error' | 'drop', say: (s: string) => void): Promise<Photometry> {
  const c = await readPhotometry(file, { onMissing });
  if (c.n === 0)
    throw new ValueError(`${file}: no galaxies${c.dropped.length ? ` (all ${c.dropped.length} dropped for a missing magnitude)` : ''}`);
  if (c.dropped.length)
    say(
      `${file}: dropped ${c.dropped.length} galaxies with a missing magnitude (rows ${Array.from(c.dropped.slice(0, 5), (r) => r + 1).join(', ')}${c.dropped.length > 5 ? ', …' : ''})`,
    );
  return c;
}

async function metricsOf(b: PhotozBundle, cat: Photometry): Promise<Record<string, PhotozMetrics>> {
  const preds = await predictBundle(b, cat);
  return Object.fromEntries(Object.entries(preds).map(([k, p]) => [k, evaluatePdfs(p.pdfs, cat.zSpec!)]));
}

function disposeBundle(b: PhotozBundle): void {
  b.clap.dispose();
  b.softmax.dispose();
}

/**
 * Per-galaxy PDFs: `.npy` → float32 [m, grid.n] densities (grid in the metrics file and the model's
 * config.json); otherwise JSON with the grid, file rows, z_spec, mean/mode/median and densities.
 */
async function writePdfs(file: string, pred: ClapPrediction, cat: Photometry): Promise<void> {
  const { pdfs, summary } = pred;
  const G = pdfs.grid.n;
  if (file.endsWith('.npy')) {
    await writeOutputFile(file, encodeNpy({ shape: [pdfs.m, G], data: Float32Array.from(pdfs.p), dtype: 'F32' }));
    return;
  }
  const r = (v: number): number => Number(v.toPrecision(6));
  const galaxies = Array.from({ length: pdfs.m }, (_, i) => ({
    row: cat.rows[i]! + 1,
    ...(cat.zSpec ? { zSpec: cat.zSpec[i]! } : {}),
    mean: r(summary.mean[i]!),
    mode: r(summary.mode[i]!),
    median: r(summary.median[i]!),
    p: Array.from(pdfs.p.subarray(i * G, (i + 1) * G), r),
  }));
  const z = Array.from({ length: G }, (_, j) => r(gridZ(pdfs.grid, j)));
  await writeOutputFile(
    file,
    `${JSON.stringify({ grid: pdfs.grid, z, units: 'p(z) per unit redshift, linear between grid points', galaxies })}\n`,
  );
}
