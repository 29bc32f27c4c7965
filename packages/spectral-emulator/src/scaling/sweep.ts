import { tf } from '@astro/core';
import type { Module } from '@astro/core/nn';
import type { SpectralEmulator } from '../emulator.js';
import { subsetRows, type SpectraDataset } from '../training/dataset.js';
import { trainEmulator, type TrainableEmulator, type TrainOptions } from '../training/train.js';
import { fitPowerLaw, type PowerLawFit } from './power-law.js';

/** One training run of a scaling study. */
export interface ScalingRun {
  /** Model size knob (e.g. width) and its parameter count N. */
  size: number;
  params: number;
  /** Training spectra available D (dataset size) and spectra seen during training. */
  datasetSize: number;
  samplesSeen: number;
  /** Training compute C, FLOPs. */
  flops: number;
  /** Final training loss and the evaluation loss (MSE of normalised flux on the test set). */
  trainLoss: number;
  testLoss: number;
}

/** Options of {@link scalingSweep}. */
export interface ScalingSweepOptions {
  /** Model size knobs to sweep (passed to `build`). */
  sizes: readonly number[];
  /** Training-set sizes to sweep (the first D rows of `train` each time). */
  datasetSizes: readonly number[];
  /** Build an untrained model for a size knob. */
  build: (size: number) => TrainableEmulator & SpectralEmulator & Module;
  train: SpectraDataset;
  test: SpectraDataset;
  /** Training options for each run (`steps` or `epochs`, lr, …). */
  trainOptions: TrainOptions | ((size: number, datasetSize: number) => TrainOptions);
  /** Called after each run. */
  onRun?: (run: ScalingRun) => void;
}

/**
 * Sweep model size × dataset size: train each combination, record parameters, samples seen,
 * training FLOPs and the test MSE (Kaplan et al. 2020 style). Runs are sequential and seeded
 * through `trainOptions`.
 */
export async function scalingSweep(opts: ScalingSweepOptions): Promise<ScalingRun[]> {
  const runs: ScalingRun[] = [];
  for (const size of opts.sizes) {
    for (const d of opts.datasetSizes) {
      const model = opts.build(size);
      try {
        const data = subsetRows(
          opts.train,
          Array.from({ length: Math.min(d, opts.train.rows) }, (_, i) => i),
        );
        const to = typeof opts.trainOptions === 'function' ? opts.trainOptions(size, d) : opts.trainOptions;
        const res = await trainEmulator(model, data, to);
        const run: ScalingRun = {
          size,
          params: model.numParameters(),
          datasetSize: data.rows,
          samplesSeen: res.samplesSeen,
          flops: res.flops,
          trainLoss: res.finalLoss,
          testLoss: await testMse(model, opts.test),
        };
        runs.push(run);
        opts.onRun?.(run);
      } finally {
        model.dispose();
      }
    }
  }
  return runs;
}

/** Mean squared error of an emulator on a dataset (batches of 50 spectra). */
export async function testMse(model: SpectralEmulator, test: SpectraDataset): Promise<number> {
  let se = 0;
  const k = test.numLabels;
  for (let r = 0; r < test.rows; r += 50) {
    const n = Math.min(50, test.rows - r);
    const x = tf.tensor2d(Float32Array.from(test.labels.subarray(r * k, (r + n) * k)), [n, k]);
    const y = model.emulate(x);
    const f = await y.data();
    tf.dispose([x, y]);
    for (let i = 0; i < f.length; i++) se += (f[i]! - test.flux[r * test.numPixels + i]!) ** 2;
  }
  return se / (test.rows * test.numPixels);
}

/** L(N), L(D) and L(C) power-law fits of a sweep. */
export interface ScalingLaws {
  /** Test loss vs parameters, at the largest dataset size. */
  params: PowerLawFit;
  /** Test loss vs dataset size, at the largest model. */
  data: PowerLawFit;
  /** Compute frontier: for each compute, the lowest test loss reached with at most that compute. */
  compute: PowerLawFit;
}

/**
 * Fit L(N) (largest D), L(D) (largest N) and L(C) (the compute-efficient frontier: runs whose
 * test loss beats every cheaper run) as power laws with {@link fitPowerLaw}.
 */
export function fitScalingLaws(runs: readonly ScalingRun[]): ScalingLaws {
  const maxD = Math.max(...runs.map((r) => r.datasetSize));
  const maxN = Math.max(...runs.map((r) => r.params));
  const byN = runs.filter((r) => r.datasetSize === maxD).sort((a, b) => a.params - b.params);
  const byD = runs.filter((r) => r.params === maxN).sort((a, b) => a.datasetSize - b.datasetSize);
  const frontier: ScalingRun[] = [];
  for (const r of [...runs].sort((a, b) => a.flops - b.flops)) {
    if (frontier.length === 0 || r.testLoss < frontier[frontier.length - 1]!.testLoss) frontier.push(r);
  }
  return {
    params: fitPowerLaw(
      byN.map((r) => r.params),
      byN.map((r) => r.testLoss),
    ),
    data: fitPowerLaw(
      byD.map((r) => r.datasetSize),
      byD.map((r) => r.testLoss),
    ),
    compute: fitPowerLaw(
      frontier.map((r) => r.flops),
      frontier.map((r) => r.testLoss),
    ),
  };
}
