/**
 * The `astro-lc` commands as a function, so they run (and are tested) in-process:
 *
 *   astro-lc numax FILE                     ν_max (μHz) ± 1σ of a text or FITS light curve
 *   astro-lc pretrain OUT_DIR [--stars N] [--steps N] [--dim D] [--layers L] [--seed S] [--positions learned|rotary]
 *                                           pre-train a LightCurveGPT on simulated stars, save it
 *   astro-lc embed MODEL_DIR FILE           mean-pooled embedding of a light curve (JSON)
 *
 * `pretrain` and `embed` take `--backend webgpu|wasm|cpu` (default: webgpu → wasm → cpu, or ASTRO_BACKEND).
 */
import { ready, ValueError, type BackendName } from '@astro/core';
import { readLightCurve } from '../io/read.js';
import { sigmaClip } from '../prep/clip.js';
import { normalizePpm } from '../prep/normalize.js';
import { estimateNumax } from '../seismo/numax.js';
import { simulateStar } from '../simulate/simulate.js';
import { LightCurveGPT, embedWindows } from '../model/gpt.js';
import { concatWindows, patchify } from '../model/tokens.js';
import { pretrain } from '../model/pretrain.js';
import { loadLightCurveGPT, saveLightCurveGPT } from '../model/persist.js';

/** Usage line printed for unknown commands. */
export const CLI_USAGE = 'usage: astro-lc numax FILE | astro-lc pretrain OUT_DIR [--stars N] [--steps N] [--dim D] [--layers L] [--seed S] [--positions learned|rotary] [--backend B] | astro-lc embed MODEL_DIR FILE [--backend B]';

/** Where {@link runCli} writes: results to `out`, progress and warnings to `err` (one line per call). */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

const consoleIO: CliIO = { out: (l) => console.log(l), err: (l) => console.error(l) };

function flag(args: readonly string[], name: string, def: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v)) throw new ValueError(`--${name} needs a number, got '${args[i + 1] ?? ''}'`);
  return v;
}

function positionsFlag(args: readonly string[]): 'learned' | 'rotary' {
  const i = args.indexOf('--positions');
  if (i < 0) return 'learned';
  const v = args[i + 1];
  if (v !== 'learned' && v !== 'rotary') throw new ValueError(`--positions must be 'learned' or 'rotary', got '${v ?? ''}'`);
  return v;
}

/** `--backend NAME`: exactly that backend (strict), else the default order. */
async function readyFlag(args: readonly string[]): Promise<void> {
  const i = args.indexOf('--backend');
  if (i < 0) {
    await ready();
    return;
  }
  const v = args[i + 1];
  if (v !== 'webgpu' && v !== 'wasm' && v !== 'cpu') throw new ValueError(`--backend must be webgpu, wasm or cpu, got '${v ?? ''}'`);
  await ready({ backend: v satisfies BackendName, strict: true });
}

/**
 * Run one `astro-lc` command (`argv` without the program name). Resolves to the exit code:
 * 0 success, 1 error (printed as `Name: message` on `err`), 2 usage.
 */
export async function runCli(argv: readonly string[], io: CliIO = consoleIO): Promise<number> {
  const [cmd, ...args] = argv;
  try {
    if (cmd === 'numax' && args[0]) {
      const lc = normalizePpm(sigmaClip(await readLightCurve(args[0])).lightCurve);
      const r = estimateNumax(lc);
      io.out(`${r.numaxMicroHz.toFixed(2)} ± ${r.numaxErrMicroHz.toFixed(2)} μHz`);
      // 2ΔlnL of the envelope over the background-only fit; below 25 the "envelope" is not a detection.
      if (r.deltaLogLikelihood2 < 25) io.err(`warning: no significant oscillation power excess (2ΔlnL = ${r.deltaLogLikelihood2.toFixed(1)} < 25); ν_max is not measured`);
    } else if (cmd === 'pretrain' && args[0]) {
      await readyFlag(args);
      const n = flag(args, 'stars', 64);
      const seed = flag(args, 'seed', 0);
      const stars = Array.from({ length: n }, (_, i) => simulateStar({ logg: 2.4 + 0.9 * ((i * 0.618034) % 1), durationDays: 25, seed: seed * 100000 + i }));
      const w = concatWindows(stars.map((s) => patchify(s, { patchSize: 16, numPatches: 16, maxWindows: 4 })));
      const dim = flag(args, 'dim', 32);
      const model = new LightCurveGPT({ patchSize: 16, maxPatches: 16, dim, layers: flag(args, 'layers', 2), heads: Math.max(1, Math.floor(dim / 16)), positions: positionsFlag(args), seed });
      try {
        const steps = flag(args, 'steps', 200);
        const losses = await pretrain(model, w, { steps, seed, onStep: (s, l) => { if ((s + 1) % 20 === 0 || s === steps - 1) io.err(`step ${s + 1}/${steps} loss ${l.toFixed(4)}`); } });
        await saveLightCurveGPT(args[0], model);
        io.out(JSON.stringify({ dir: args[0], parameters: model.numParameters(), finalLoss: losses[losses.length - 1] }));
      } finally {
        model.dispose();
      }
    } else if (cmd === 'embed' && args[0] && args[1]) {
      await readyFlag(args);
      const model = await loadLightCurveGPT(args[0]);
      try {
        const lc = normalizePpm(sigmaClip(await readLightCurve(args[1])).lightCurve);
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
    } else {
      io.err(CLI_USAGE);
      return 2;
    }
    return 0;
  } catch (e: unknown) {
    io.err(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    return 1;
  }
}
