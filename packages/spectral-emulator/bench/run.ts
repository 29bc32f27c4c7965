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

/** Best-of-rounds seconds per call of an async function. */
async function timeIt(fn: () => Promise<void>, reps: number, rounds = smoke ? 1 : 4): Promise<number> {
  for (let i = 0; i < Math.max(1, Math.ceil(reps / 4)); i++) await fn(); // warm-up (shader compiles, wasm JIT)
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    best = Math.min(best, (performance.now() - t0) / 1000 / reps);
  }
  return best;
}

const peer = JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'torch_peer.py'), '1'], { encoding: 'utf8' })) as {
  threads: number;
  torch: string;
  predict_spectra_per_s: number;
  train_steps_per_s: number;
};
console.log(`PyTorch ${peer.torch} CPU (${peer.threads} thread): ${peer.predict_spectra_per_s.toFixed(0)} spectra/s, ${peer.train_steps_per_s.toFixed(1)} train steps/s`);

const bundleDir = dataPath('spectra', 'emulator-reference-bundle');
const perBackend: Record<string, Record<string, number>> = {};
const comparisons: { name: string; ours: string; peer: string; peerValue: string; ratio: number }[] = [];
const backends: BackendName[] = ['wasm', 'cpu', 'webgpu'];
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
  const rounds = smoke || slow ? 1 : 4;
  const emu = await loadBundle(bundleDir, { verify: false });
  const rng = new Rng(0);
  const labels = tf.tensor2d(Float32Array.from({ length: 256 * 3 }, (_, i) => [4500, 2.5, -0.3][i % 3]! + rng.uniform() * [2500, 2.5, 0.6][i % 3]!), [256, 3]);
  const tPred = await timeIt(async () => {
    const y = emu.predict(labels, { outOfDomain: 'ignore' });
    await y.data();
    y.dispose();
  }, smoke ? 2 : slow ? 3 : 20, rounds);
  const target = tf.randomUniform([256, 500], 0.5, 1.0, 'float32', 1);
  const opt = new AdamW(emu.namedParameters(), { lr: 1e-3 });
  const tStep = await timeIt(async () => {
    const { loss } = opt.minimize(() => spectrumLoss(emu.emulate(labels), target, 'l1'));
    await loss.data();
    loss.dispose();
  }, smoke ? 2 : slow ? 2 : 10, rounds);
  opt.dispose();
  tf.dispose([labels, target]);
  emu.dispose();

  const extra: Record<string, number> = {};
  if (!slow) {
    // TransformerPayne (width 64, 2 layers, 8 tokens) on the same 500-pixel grid, batch 16
    const tp = new TransformerPayne({
      domain: { names: ['teff', 'logg', 'feh'], units: ['K', 'dex', 'dex'], min: Float64Array.of(4500, 2.5, -0.3), max: Float64Array.of(7000, 5, 0.3) },
      wavelengthAngstrom: Float64Array.from({ length: 500 }, (_, i) => 5000 + 0.02 * i),
      width: 64,
    });
    const tpLabels = tf.tensor2d(Float32Array.from({ length: 16 * 3 }, (_, i) => [5000, 4, 0][i % 3]!), [16, 3]);
    const tTp = await timeIt(async () => {
      const y = tp.emulate(tpLabels);
      await y.data();
      y.dispose();
    }, smoke ? 1 : 5);
    tpLabels.dispose();
    tp.dispose();

    // per-pixel Payne on the APOGEE grid (7214 pixels), batch 256
    const payne = await PaynePixelModel.load(dataPath('spectra', 'payne-apogee-nn'));
    const pl = tf.tensor2d(Float32Array.from({ length: 256 * 5 }, (_, i) => [4800, 4.5, 0, 0.1, 10][i % 5]!), [256, 5]);
    const tPayne = await timeIt(async () => {
      const y = payne.predict(pl, { outOfDomain: 'ignore' });
      await y.data();
      y.dispose();
    }, smoke ? 1 : 5);
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
  comparisons.push({
    name: `predict_speedup_vs_torch [${backend}] (MLP 3→128→128→500, batch 256)${note}`,
    ours: `${(256 / tPred).toFixed(0)} spectra/s`,
    peer: `PyTorch ${peer.torch} CPU, ${peer.threads} thread`,
    peerValue: `${peer.predict_spectra_per_s.toFixed(0)} spectra/s`,
    ratio: Number((256 / tPred / peer.predict_spectra_per_s).toFixed(3)),
  });
  comparisons.push({
    name: `train_step_speedup_vs_torch [${backend}] (L1 + AdamW, batch 256)${note}`,
    ours: `${(1 / tStep).toFixed(1)} steps/s`,
    peer: `PyTorch ${peer.torch} CPU, ${peer.threads} thread`,
    peerValue: `${peer.train_steps_per_s.toFixed(1)} steps/s`,
    ratio: Number((1 / tStep / peer.train_steps_per_s).toFixed(3)),
  });
}

// sampleLabels vs emcee: the posterior of test/fixtures/payne_mcmc.json (5 labels + RV, 300 pixels)
const mcmcSteps = smoke ? 20 : 300;
const emceePeer = JSON.parse(execFileSync('/usr/bin/python3', [join(here, 'emcee_peer.py'), String(mcmcSteps)], { encoding: 'utf8' })) as {
  emcee: string;
  steps_per_s: number;
  vectorized_steps_per_s: number;
};
let mcmcStepsPerS: number | null = null;
try {
  await ready({ backend: 'wasm', strict: true });
  const fx = JSON.parse(readFileSync(join(here, '..', 'test', 'fixtures', 'payne_mcmc.json'), 'utf8')) as { first_pixel: number; num_pixels: number; flux: number[]; sigma: number };
  const slice = await PaynePixelModel.load(dataPath('spectra', 'payne-apogee-nn'), { pixelRange: [fx.first_pixel, fx.first_pixel + fx.num_pixels] });
  const obs = { flux: fx.flux, fluxErr: new Float64Array(fx.num_pixels).fill(fx.sigma) };
  const start = await fitSpectrum(slice, obs, { fitRv: true });
  await sampleLabels(slice, obs, { fitRv: true, start, nWalkers: 32, nSteps: 10 }); // warm-up
  const t0 = performance.now();
  await sampleLabels(slice, obs, { fitRv: true, start, nWalkers: 32, nSteps: mcmcSteps });
  mcmcStepsPerS = mcmcSteps / ((performance.now() - t0) / 1000);
  slice.dispose();
  for (const [peerName, value] of [
    [`emcee ${emceePeer.emcee} (vectorize=True), numpy float64, 1 thread`, emceePeer.vectorized_steps_per_s],
    [`emcee ${emceePeer.emcee} (one call per walker), numpy float64, 1 thread`, emceePeer.steps_per_s],
  ] as const) {
    comparisons.push({
      name: 'mcmc_speedup_vs_emcee [wasm] (sampleLabels, 32 walkers, 5 labels + RV, 300 APOGEE pixels)',
      ours: `${mcmcStepsPerS.toFixed(0)} steps/s`,
      peer: peerName,
      peerValue: `${value.toFixed(0)} steps/s`,
      ratio: Number((mcmcStepsPerS / value).toFixed(3)),
    });
  }
} catch (e) {
  console.log(`sampleLabels benchmark skipped: wasm unavailable (${e instanceof Error ? e.message : String(e)})`);
}

const wasm = perBackend['wasm'];
const result = {
  comparisons,
  predict_speedup_vs_torch: wasm ? wasm['predict_spectra_per_s']! / peer.predict_spectra_per_s : null,
  train_step_speedup_vs_torch: wasm ? wasm['train_steps_per_s']! / peer.train_steps_per_s : null,
  mcmc_speedup_vs_emcee: mcmcStepsPerS === null ? null : mcmcStepsPerS / emceePeer.vectorized_steps_per_s,
  mcmc_steps_per_s: mcmcStepsPerS,
  emceePeer,
  perBackend,
  peer,
  smoke,
  generated: new Date().toISOString(),
};
const outDir = join(repo, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'spectral-emulator.json'), JSON.stringify(result, null, 2) + '\n');
console.log('\n| benchmark | ours | peer | peer value | ratio |\n|---|---|---|---|---|');
for (const c of comparisons) console.log(`| ${c.name} | ${c.ours} | ${c.peer} | ${c.peerValue} | ${c.ratio} |`);
console.log(`\nwrote ${join(outDir, 'spectral-emulator.json')}`);
