// Quick start for @astro/core: pick a backend, train a small blackbody-spectrum emulator on
// built-in synthetic data, save it, load it back, check it, and plot the loss curve.
// Run with `pnpm demo` (ASTRO_SMOKE=1 for a quick run).
import { fileURLToPath } from 'node:url';
import { ready, Rng, tf } from '@astro/core';
import { MLP } from '@astro/core/nn';
import { AdamW, warmupCosine } from '@astro/core/optim';
import { fit, saveModel, loadModel, type ModelConfig } from '@astro/core/train';
import { linePlot, writeSvg } from '@astro/core/plot';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const info = await ready();
console.log(`backend: ${info.backend}${info.adapter ? ` (${info.adapter})` : ''}`);
for (const t of info.tried) console.log(`  tried ${t.backend}: ${t.ok ? 'ok' : t.reason} [${t.ms} ms]`);

// Planck's law B_λ(T) in erg s⁻¹ cm⁻² Å⁻¹ sr⁻¹, seen through a dilution factor (R/D)².
const wavelengthAngstrom = Array.from({ length: 24 }, (_, i) => 2000 + (i * 8000) / 23);
const planck = (lamA: number, T: number): number => {
  const lam = lamA * 1e-8; // cm
  return ((2 * 6.62607015e-27 * 2.99792458e10 ** 2) / lam ** 5 / Math.expm1(1.438776877 / (lam * T))) * 1e-8;
};
const [tMin, tMax, sMin, sMax] = [3000, 30000, 1e-3, 1]; // K; dilution (dimensionless)
function simulate(n: number, rng: Rng): { x: number[][]; logFlux: number[][] } {
  const u = (): number => rng.uniform();
  const x: number[][] = [];
  const logFlux: number[][] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = [u(), u()]; // log-uniform temperature and dilution, scaled to [-1, 1]
    const T = tMin * (tMax / tMin) ** a;
    const s = sMin * (sMax / sMin) ** b;
    x.push([2 * a - 1, 2 * b - 1]);
    logFlux.push(wavelengthAngstrom.map((l) => Math.log10(s * planck(l, T))));
  }
  return { x, logFlux };
}

// Standardise log-flux per wavelength with the training set's mean and spread.
// Sizes are multiples of the batch size: on WebGPU every new tensor shape compiles new shaders.
// One seed, one named stream per purpose: adding draws to one never shifts the other.
const root = new Rng(1);
const train = simulate(smoke ? 640 : 8000, root.fork('train'));
const mean = wavelengthAngstrom.map((_, j) => train.logFlux.reduce((s, r) => s + r[j]!, 0) / train.logFlux.length);
const std = wavelengthAngstrom.map((_, j) =>
  Math.sqrt(train.logFlux.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / train.logFlux.length),
);
const standardise = (rows: number[][]): number[][] => rows.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));

const config: ModelConfig = {
  kind: '@astro/core/BlackbodyEmulator',
  schemaVersion: 1,
  hyperParameters: { sizes: [2, 64, 64, wavelengthAngstrom.length], activation: 'gelu', wavelengthAngstrom },
  scalings: {
    temperature: { unit: 'K', type: 'log10-minmax', min: tMin, max: tMax, to: [-1, 1] },
    dilution: { unit: '(R/D)², dimensionless', type: 'log10-minmax', min: sMin, max: sMax, to: [-1, 1] },
    flux: { unit: 'log10(erg s⁻¹ cm⁻² Å⁻¹ sr⁻¹)', type: 'standard', mean, std },
  },
};
const build = (c: ModelConfig): MLP => {
  const h = c.hyperParameters as { sizes: number[]; activation: 'gelu' };
  return new MLP({ sizes: h.sizes, activation: h.activation, seed: 0 });
};

const model = build(config);
const epochs = smoke ? 3 : 20;
const batchSize = smoke ? 256 : 50;
const steps = epochs * Math.ceil((train.x.length * 0.8) / batchSize);
const optimizer = new AdamW(model.namedParameters(), {
  lr: warmupCosine({ peakLr: 3e-3, warmupSteps: Math.ceil(steps / 20), totalSteps: steps, minLr: 1e-5 }),
  weightDecay: 1e-4,
  groups: [{ match: '**.bias', weightDecay: 0 }],
});
const t0 = Date.now();
const { history } = await fit(
  model,
  { x: train.x, y: standardise(train.logFlux) },
  {
    epochs,
    batchSize,
    optimizer,
    seed: 42,
    validationSplit: 0.2,
    earlyStopping: { patience: 5 },
  },
);
console.log(
  `trained ${history.loss.length} epochs in ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
    `validation MSE ${history.valLoss.at(-1)!.toExponential(2)} (standardised log-flux)${smoke ? ' — smoke run, a few steps only' : ''}`,
);

// Save, reload, and check the reloaded model predicts exactly the same spectra.
const out = (name: string): string => fileURLToPath(new URL(`../out/${name}`, import.meta.url));
const dir = out('blackbody-emulator');
await saveModel(dir, model, config);
const { model: again } = await loadModel(dir, { kind: config.kind, schemaVersion: 1, build });
const test = simulate(smoke ? 128 : 1024, root.fork('test'));
const xTest = tf.tensor2d(test.x);
const [y1, y2] = [model.forward(xTest), again.forward(xTest)];
const [p1, p2] = [await y1.data(), await y2.data()];
if (p1.some((v, i) => v !== p2[i])) throw new Error('reloaded model predicts differently');
const err = test.logFlux.flatMap((r, i) => r.map((v, j) => Math.abs(p1[i * r.length + j]! * std[j]! + mean[j]! - v)));
err.sort((a, b) => a - b);
console.log(
  `saved to ${dir}; reloaded predictions identical; ` +
    `test |Δlog10 F| median ${err[err.length >> 1]!.toFixed(4)} dex, 95th pct ${err[Math.floor(err.length * 0.95)]!.toFixed(4)} dex`,
);

const epochAxis = history.loss.map((_, i) => i + 1);
const svg = await linePlot({
  series: [
    { name: 'training', x: epochAxis, y: history.loss },
    { name: 'validation', x: epochAxis, y: history.valLoss },
  ],
  x: { title: 'epoch' },
  y: { title: 'MSE (standardised log-flux)', log: true },
  title: 'Blackbody emulator: loss curve',
});
console.log(`loss curve: ${await writeSvg(out('loss.svg'), svg)}`);
tf.dispose([xTest, y1, y2]);
for (const m of [model, again]) m.dispose();
optimizer.dispose();
