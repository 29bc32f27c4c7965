/**
 * The `astro-lc` commands as a function, so they run (and are tested) in-process:
 *
 *   astro-lc numax SOURCE… [--target ID] [--flux-column C] [--threshold X] [--json] [--out FILE]
 *                                           ν_max (μHz) ± 1σ of a text or FITS light curve, a folder
 *                                           or list of Kepler quarter files (stitched); or "no detection (reason)"
 *   astro-lc pretrain OUT_DIR [--stars N] [--steps N] [--dim D] [--layers L] [--seed S] [--positions learned|rotary]
 *                                           pre-train a LightCurveGPT on simulated stars, save it
 *   astro-lc embed MODEL_DIR FILE           mean-pooled embedding of a light curve (JSON)
 *
 * `pretrain` and `embed` take `--backend webgpu|wasm|cpu` (default: webgpu → wasm → cpu, or ASTRO_BACKEND).
 * Argument parsing, one-line errors and exit statuses (2 usage, 1 bad input) come from
 * `@astro/core/cli`; output files are written atomically.
 */
import { ready, Rng, UsageError, type BackendName } from '@astro/core';
import { checkOutputPath, describeOptions, parseCli, runMain, writeOutputFile, type CliIO, type OptionsSpec } from '@astro/core/cli';
import { readLightCurve, type ReadLightCurveResult } from '../io/read.js';
import { sigmaClip } from '../prep/clip.js';
import { describeHygiene } from '../prep/hygiene.js';
import { normalizePpm } from '../prep/normalize.js';
import { estimateNumax, type NumaxResult } from '../seismo/numax.js';
import { simulateStar } from '../simulate/simulate.js';
import { LightCurveGPT, embedWindows } from '../model/gpt.js';
import { concatWindows, patchify } from '../model/tokens.js';
import { pretrain } from '../model/pretrain.js';
import { loadLightCurveGPT, saveLightCurveGPT } from '../model/persist.js';

export type { CliIO } from '@astro/core/cli';

const NUMAX_OPTIONS = {
  target: { type: 'string', description: 'only files of this target (KIC/TIC number) in a folder of several stars' },
  'flux-column': { type: 'string', description: 'FITS flux column', default: 'PDCSAP_FLUX' },
  threshold: { type: 'number', min: 0, description: 'detection threshold on 2ΔlnL (default: the calibrated one)' },
  json: { type: 'boolean', description: 'print the whole outcome as JSON' },
  out: { type: 'string', description: 'also write the outcome as JSON to this file (atomically)' },
} satisfies OptionsSpec;

const BACKEND = { type: 'string', choices: ['webgpu', 'wasm', 'cpu'], description: 'backend (default webgpu → wasm → cpu)' } as const;

const PRETRAIN_OPTIONS = {
  stars: { type: 'integer', min: 1, default: 64, description: 'simulated stars' },
  steps: { type: 'integer', min: 1, default: 200, description: 'AdamW steps' },
  dim: { type: 'integer', min: 1, default: 32, description: 'model width' },
  layers: { type: 'integer', min: 1, default: 2, description: 'transformer blocks' },
  seed: { type: 'integer', min: 0, default: 0, description: 'random seed' },
  positions: { type: 'string', choices: ['learned', 'rotary'], default: 'learned', description: 'position encoding' },
  backend: BACKEND,
} satisfies OptionsSpec;

const EMBED_OPTIONS = { backend: BACKEND } satisfies OptionsSpec;

/** Usage text printed after usage errors and for `--help`. */
export const CLI_USAGE = [
  'usage: astro-lc numax SOURCE… [options]       ν_max of a light curve (text or FITS file, folder or list of quarter files)',
  describeOptions(NUMAX_OPTIONS),
  '       astro-lc pretrain OUT_DIR [options]     pre-train a LightCurveGPT on simulated stars and save it',
  describeOptions(PRETRAIN_OPTIONS),
  '       astro-lc embed MODEL_DIR FILE [options] mean-pooled embedding of a light curve (JSON)',
  describeOptions(EMBED_OPTIONS),
].join('\n');

async function readyBackend(b: string | undefined): Promise<void> {
  if (b === undefined) await ready();
  else await ready({ backend: b as BackendName, strict: true });
}

/** A JSON-safe summary of a ν_max outcome (no spectrum). */
export function numaxSummary(r: NumaxResult, lc: ReadLightCurveResult): Record<string, unknown> {
  const { spectrum: _s, background: _b, ...rest } = r;
  void _s;
  void _b;
  const fit = r.detected ? r.fit : undefined;
  return {
    ...rest,
    ...(fit ? { fit } : {}),
    input: {
      parts: lc.parts,
      rows: lc.rows,
      droppedQuality: lc.droppedQuality,
      droppedNaN: lc.droppedNaN,
      sorted: lc.sorted,
      mergedDuplicates: lc.mergedDuplicates,
      stitched: lc.stitched,
    },
  };
}

async function numaxCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCli(argv, { options: NUMAX_OPTIONS, positionals: ['source'], rest: true });
  if (values.help) {
    io.out(CLI_USAGE);
    return 0;
  }
  if (values.out !== undefined) await checkOutputPath(values.out);
  const lc = await readLightCurve(positionals, {
    fluxColumn: values['flux-column'],
    ...(values.target !== undefined ? { target: values.target } : {}),
  });
  const notes: string[] = [];
  if (lc.stitched) notes.push(`stitched ${lc.parts.length} files, each divided by its median flux`);
  if (lc.droppedQuality) notes.push(`dropped ${lc.droppedQuality} QUALITY-flagged cadences`);
  if (lc.droppedNaN) notes.push(`dropped ${lc.droppedNaN} rows with NaN/Inf time or flux`);
  if (lc.sorted) notes.push('sorted the rows by time');
  if (lc.mergedDuplicates) notes.push(`merged ${lc.mergedDuplicates} exactly repeated time stamps`);
  const clipped = sigmaClip(lc);
  if (clipped.removed) notes.push(`sigma-clipped ${clipped.removed} outliers (> 5σ)`);
  const r = estimateNumax(normalizePpm(clipped.lightCurve), values.threshold !== undefined ? { threshold: values.threshold } : {});
  const hygiene = describeHygiene(r.preparation);
  if (hygiene) notes.push(hygiene);
  notes.push(...r.notes);
  const summary = numaxSummary(r, lc);
  if (values.out !== undefined) await writeOutputFile(values.out, `${JSON.stringify(summary, null, 2)}\n`);
  if (values.json) io.out(JSON.stringify(summary));
  else if (r.detected) io.out(`${r.numaxMicroHz.toFixed(2)} ± ${r.numaxErrMicroHz.toFixed(2)} μHz`);
  else io.out(`no detection (${r.reason})`);
  for (const n of notes) io.err(`note: ${n}`);
  return 0;
}

async function pretrainCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, args } = parseCli(argv, { options: PRETRAIN_OPTIONS, positionals: ['outDir'] });
  if (values.help) {
    io.out(CLI_USAGE);
    return 0;
  }
  const outDir = args['outDir']!;
  await checkOutputPath(outDir, { directory: true });
  await readyBackend(values.backend);
  const { stars: n, seed, dim, steps } = values;
  const starSeeds = new Rng(seed).fork('pretrain-stars');
  const stars = Array.from({ length: n }, (_, i) =>
    simulateStar({ logg: 2.4 + 0.9 * ((i * 0.618034) % 1), durationDays: 25, seed: starSeeds.nextUint32() }),
  );
  const w = concatWindows(stars.map((s) => patchify(s, { patchSize: 16, numPatches: 16, maxWindows: 4 })));
  const model = new LightCurveGPT({
    patchSize: 16,
    maxPatches: 16,
    dim,
    layers: values.layers,
    heads: Math.max(1, Math.floor(dim / 16)),
    positions: values.positions as 'learned' | 'rotary',
    seed,
  });
  try {
    const report = (step: number, loss: number): void => {
      if (step % 20 === 0 || step === steps) io.err(`step ${step}/${steps} loss ${loss.toFixed(4)}`);
    };
    // Progress through core's fit (`onProgress`); `onStep` serves the older pretrain signature.
    const progress = {
      onProgress: (p: { phase: string; globalStep: number; loss: number }) => {
        if (p.phase === 'step') report(p.globalStep, p.loss);
      },
      onStep: (s: number, l: number) => report(s + 1, l),
    };
    const losses = await pretrain(model, w, { steps, seed, ...progress } as Parameters<typeof pretrain>[2]);
    await saveLightCurveGPT(outDir, model);
    io.out(JSON.stringify({ dir: outDir, parameters: model.numParameters(), finalLoss: losses[losses.length - 1] }));
  } finally {
    model.dispose();
  }
  return 0;
}

async function embedCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, args } = parseCli(argv, { options: EMBED_OPTIONS, positionals: ['modelDir', 'file'] });
  if (values.help) {
    io.out(CLI_USAGE);
    return 0;
  }
  await readyBackend(values.backend);
  const model = await loadLightCurveGPT(args['modelDir']!);
  try {
    const lc = normalizePpm(sigmaClip(await readLightCurve(args['file']!)).lightCurve);
    const w = patchify(lc, { patchSize: model.config.patchSize, numPatches: model.config.maxPatches });
    const e = await embedWindows(model, w);
    const d = model.config.dim;
    const mean = Array.from({ length: d }, (_, j) => {
      let s = 0;
      for (let i = 0; i < w.windows; i++) s += e[i * d + j]!;
      return s / w.windows;
    });
    io.out(JSON.stringify({ windows: w.windows, embedding: mean }));
  } finally {
    model.dispose();
  }
  return 0;
}

/**
 * Run one `astro-lc` command (`argv` without the program name). Resolves to the exit code:
 * 0 success (a non-detection of ν_max is a result, not an error), 1 bad input (one line
 * `astro-lc: <file>: <what is wrong>` on `err`), 2 usage error (message, then the usage).
 */
export async function runCli(argv: readonly string[], io?: CliIO): Promise<number> {
  return runMain(
    async (a, cio) => {
      const [cmd, ...rest] = a;
      if (cmd === 'numax') return numaxCommand(rest, cio);
      if (cmd === 'pretrain') return pretrainCommand(rest, cio);
      if (cmd === 'embed') return embedCommand(rest, cio);
      if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
        cio.out(CLI_USAGE);
        return 0;
      }
      throw new UsageError(
        cmd === undefined ? 'missing command (numax, pretrain or embed)' : `unknown command '${cmd}' (numax, pretrain or embed)`,
      );
    },
    argv,
    { name: 'astro-lc', usage: CLI_USAGE, ...(io ? { io } : {}) },
  );
}
