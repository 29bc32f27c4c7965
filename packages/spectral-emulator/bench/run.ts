// `pnpm bench` for @astro/spectral-emulator. Times, per backend, inference of the released
// emulator bundle (MLP 3→128→128→500, GELU tanh) on a batch of 256 labels and one L1 + AdamW
// training step on a batch of 256, and runs the same architecture in PyTorch CPU
// (bench/torch_peer.py via /usr/bin/python3, 1 thread, like WebAssembly) in the same run.
// Also times a TransformerPayne forward pass and the per-pixel Payne on APOGEE (7214 pixels), and
// sampleLabels (ensemble MCMC, 32 walkers, 6 parameters, 300 APOGEE pixels) on wasm against
// emcee on the same posterior (bench/emcee_peer.py, numpy float64, one thread) in the same run.
// Writes <repo>/bench/results/spectral-emulator.json. ASTRO_SMOKE=1 runs a minimal version.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready, tf, type BackendName } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { Rng } from '@astro/core/nn';
import { AdamW } from '@astro/core/optim';
import { PaynePixelModel, TransformerPayne, fitSpectrum, loadBundle, sampleLabels, spectrumLoss } from '../src/index.js';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');

/** Median over `rounds` (≥ 3, after a warm-up) of the seconds per call of an async function. */
async function timeIt(fn: () => Promise<void>, reps: number, rounds = smoke ? 3 : 5): Promise<number> {
  for (let i = 0; i < Math.max(1, Math.ceil(reps / 4)); i++) await fn(); // warm-up (shader compiles, wasm JIT)
  const times: number[] = [];
  for (let r = 0; r < Math.max(3, rounds); r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    times.push((performance.now() - t0) / 1000 / reps);
  }
  return times.sort((a, b) => a - b)[times.length >> 1]!;
}

/** Run a Python peer; its JSON, or why it is missing (no Python, no module): the bench goes on. */
function runPeer<T>(script: string, args: string[]): T | { missing: string } {
  try {
    const r = JSON.parse(
      execFileSync(process.env['ASTRO_PYTHON'] ?? '/usr/bin/python3', [join(here, script), ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    ) as T | { error: string };
    return typeof r === 'object' && r !== null && 'error' in r ? { missing: (r as { error: string }).error } : r;
  } catch (e) {
    return { missing: (e as Error).message.split('\n')[0]! };
  }
}

interface TorchPeer {
  threads: number;
  torch: string;
  predict_spectra_per_s: number;
  train_steps_per_s: number;
}
const loadBefore = loadavg().map((v) => +v.toFixed(2));
const torchPeers = {
  torch_cpu_1thread: runPeer<TorchPeer>('torch_peer.py', ['1']),
  torch_cpu_all_threads: runPeer<TorchPeer>('torch_peer.py', ['all']),
};
const missing: Record<string, string> = {};
for (const [name, p] of Object.entries(torchPeers)) {
  if ('missing' in p) missing[name] = p.missing;
  else
    console.log(
      `PyTorch ${p.torch} CPU (${p.threads} threads): ${p.predict_spectra_per_s.toFixed(0)} spectra/s, ${p.train_steps_per_s.toFixed(1)} train steps/s`,
    );
}

const bundleDir = dataPath('spectra', 'emulator-reference-bundle');
const perBackend: Record<string, Record<string, number>> = {};
const comparisons: { name: string; ours: number; unit: string; peer: string; peerValue: number; ours_over_peer_time: number }[] = [];
const wanted = (process.env['BENCH_BACKENDS'] ?? 'wasm,cpu,webgpu').split(',');
const backends = (['wasm', 'cpu', 'webgpu'] as BackendName[]).filter((b) => wanted.includes(b));
for (const backend of backends) {
  try {
    await ready({ backend, strict: true });
  } catch (e) {
    console.log(`${backend}: unavailable (${e instanceof Error ? e.message : String(e)})`);
    continue;
  }
  // the pure-JS cpu backend and webgpu on SwiftShader (no GPU here) are 10–100× slower than wasm:
  // time them with one round of few repetitions, and only the bundle MLP
  const slow = backend !== 'wasm';
  const rounds = smoke || slow ? 3 : 5;
  const emu = await loadBundle(bundleDir, { verify: false });
  const rng = new Rng(0);
  const labels = tf.tensor2d(
    Float32Array.from({ length: 256 * 3 }, (_, i) => [4500, 2.5, -0.3][i % 3]! + rng.uniform() * [2500, 2.5, 0.6][i % 3]!),
    [256, 3],
  );
  const tPred = await timeIt(
    async () => {
      const y = emu.predictTensor(labels, { outOfDomain: 'ignore' });
      await y.data();
      y.dispose();
    },
    smoke ? 2 : slow ? 3 : 20,
    rounds,
  );
  const target = tf.randomUniform([256, 500], 0.5, 1.0, 'float32', 1);
  const opt = new AdamW(emu.namedParameters(), { lr: 1e-3 });
  const tStep = await timeIt(
    async () => {
      const { loss } = opt.minimize(() => spectrumLoss(emu.emulate(labels), target, 'l1'));
      await loss.data();
      loss.dispose();
    },
    smoke ? 2 : slow ? 2 : 10,
    rounds,
  );
  opt.dispose();
  tf.dispose([labels, target]);
  emu.dispose();

  const extra: Record<string, number> = {};
  if (!slow) {
    // TransformerPayne (width 64, 2 layers, 8 tokens) on the same 500-pixel grid, batch 16
    const tp = new TransformerPayne({
      domain: {
        names: ['teff', 'logg', 'feh'],
        units: ['K', 'dex', 'dex'],
        min: Float64Array.of(4500, 2.5, -0.3),
        max: Float64Array.of(7000, 5, 0.3),
      },
      wavelengthAngstrom: Float64Array.from({ length: 500 }, (_, i) => 5000 + 0.02 * i),
      width: 64,
    });
    const tpLabels = tf.tensor2d(
      Float32Array.from({ length: 16 * 3 }, (_, i) => [5000, 4, 0][i % 3]!),
      [16, 3],
    );
    const tTp = await timeIt(
      async () => {
        const y = tp.emulate(tpLabels);
        await y.data();
        y.dispose();
      },
      smoke ? 1 : 5,
    );
    tpLabels.dispose();
    tp.dispose();

    // per-pixel Payne on the APOGEE grid (7214 pixels), batch 256
    const payne = await PaynePixelModel.load(dataPath('spectra', 'payne-apogee-nn'));
    const pl = tf.tensor2d(
      Float32Array.from({ length: 256 * 5 }, (_, i) => [4800, 4.5, 0, 0.1, 10][i % 5]!),
      [256, 5],
    );
    const tPayne = await timeIt(
      async () => {
        const y = payne.predictTensor(pl, { outOfDomain: 'ignore' });
        await y.data();
        y.dispose();
      },
      smoke ? 1 : 5,
    );
    pl.dispose();
    payne.dispose();
    extra['transformer_payne_spectra_per_s'] = 16 / tTp;
    extra['payne_apogee_spectra_per_s'] = 256 / tPayne;
  }

  perBackend[backend] = {
    predict_spectra_per_s: 256 / tPred,
    train_steps_per_s: 1 / tStep,
    ...extra,
  };
  console.log(`${backend}: ${JSON.stringify(perBackend[backend])}`);
  const note = backend === 'webgpu' ? ' (SwiftShader CPU emulation here; not a GPU timing)' : '';
  for (const [peerName, p] of Object.entries(torchPeers)) {
    if ('missing' in p) continue;
    const peerLabel = `PyTorch ${p.torch} CPU, ${p.threads} thread${p.threads === 1 ? '' : 's'}`;
    comparisons.push({
      name: `predict_time_ratio_ours_over_${peerName} [${backend}] (MLP 3→128→128→500, batch 256)${note}`,
      ours: 256 / tPred,
      unit: 'spectra/s',
      peer: peerLabel,
      peerValue: p.predict_spectra_per_s,
      ours_over_peer_time: p.predict_spectra_per_s / (256 / tPred),
    });
    comparisons.push({
      name: `train_step_time_ratio_ours_over_${peerName} [${backend}] (L1 + AdamW, batch 256)${note}`,
      ours: 1 / tStep,
      unit: 'steps/s',
      peer: peerLabel,
      peerValue: p.train_steps_per_s,
      ours_over_peer_time: p.train_steps_per_s / (1 / tStep),
    });
  }
}

// sampleLabels vs emcee: the posterior of test/fixtures/payne_mcmc.json (5 labels + RV, 300 pixels)
const mcmcSteps = smoke ? 20 : 300;
const emceePeer = runPeer<{ emcee: string; steps_per_s: number; vectorized_steps_per_s: number }>('emcee_peer.py', [String(mcmcSteps)]);
if ('missing' in emceePeer) missing['emcee'] = emceePeer.missing;
let mcmcStepsPerS: number | null = null;
try {
  await ready({ backend: 'wasm', strict: true });
  const fx = JSON.parse(readFileSync(join(here, '..', 'test', 'fixtures', 'payne_mcmc.json'), 'utf8')) as {
    first_pixel: number;
    num_pixels: number;
    flux: number[];
    sigma: number;
  };
  const slice = await PaynePixelModel.load(dataPath('spectra', 'payne-apogee-nn'), {
    pixelRange: [fx.first_pixel, fx.first_pixel + fx.num_pixels],
  });
  const obs = { flux: fx.flux, fluxErr: new Float64Array(fx.num_pixels).fill(fx.sigma) };
  const start = await fitSpectrum(slice, obs, { fitRv: true });
  await sampleLabels(slice, obs, { fitRv: true, start, nWalkers: 32, nSteps: 10 }); // warm-up
  const t0 = performance.now();
  await sampleLabels(slice, obs, { fitRv: true, start, nWalkers: 32, nSteps: mcmcSteps });
  mcmcStepsPerS = mcmcSteps / ((performance.now() - t0) / 1000);
  slice.dispose();
  if (!('missing' in emceePeer)) {
    for (const [key, peerName, value] of [
      ['vectorized', `emcee ${emceePeer.emcee} (vectorize=True), numpy float64, 1 thread`, emceePeer.vectorized_steps_per_s],
      ['per_walker', `emcee ${emceePeer.emcee} (one call per walker), numpy float64, 1 thread`, emceePeer.steps_per_s],
    ] as const) {
      comparisons.push({
        name: `mcmc_time_ratio_ours_over_emcee_${key} [wasm] (sampleLabels, 32 walkers, 5 labels + RV, 300 APOGEE pixels)`,
        ours: mcmcStepsPerS,
        unit: 'steps/s',
        peer: peerName,
        peerValue: value,
        ours_over_peer_time: value / mcmcStepsPerS,
      });
    }
  }
} catch (e) {
  console.log(`sampleLabels benchmark skipped: wasm unavailable (${e instanceof Error ? e.message : String(e)})`);
}

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
} catch {
  /* not a git checkout */
}
// docs/backends.md "Benchmark results format": ours / peer time (> 1 slower), machine, date, commit
const result = {
  package: 'spectral-emulator',
  date: new Date().toISOString(),
  commit,
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
  },
  load: { before: loadBefore, after: loadavg().map((v) => +v.toFixed(2)) },
  smoke,
  missing,
  comparisons,
  mcmc_steps_per_s: mcmcStepsPerS,
  peers: { ...torchPeers, emcee: emceePeer },
  perBackend,
};
const outDir = join(repo, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, smoke ? 'spectral-emulator.smoke.json' : 'spectral-emulator.json');
writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
console.log('\n| benchmark | ours | peer | peer value | ours / peer time |\n|---|---|---|---|---|');
for (const c of comparisons)
  console.log(
    `| ${c.name} | ${c.ours.toPrecision(4)} ${c.unit} | ${c.peer} | ${c.peerValue.toPrecision(4)} | ${c.ours_over_peer_time.toFixed(3)} |`,
  );
console.log(`\nwrote ${outFile}`);
