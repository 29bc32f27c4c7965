import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Load a JSON fixture written by tools/fixtures/bayes_ml_mcmc_gp.py. */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'mcmc_gp', name), 'utf8')) as T;
}

/** A standard normal log-density in nDim dimensions with per-dimension scales `sd`. */
export function gaussianLogProb(sd: number[]): (x: Float64Array) => number {
  return (x) => {
    let s = 0;
    for (let i = 0; i < sd.length; i++) s += (x[i]! / sd[i]!) ** 2;
    return -0.5 * s;
  };
}

/** Mean and (population) standard deviation of column `d` of a row-major n×nDim array. */
export function columnMoments(data: Float64Array, nDim: number, d: number): { mean: number; std: number; column: Float64Array } {
  const n = data.length / nDim;
  const column = new Float64Array(n);
  for (let i = 0; i < n; i++) column[i] = data[i * nDim + d]!;
  const mean = column.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return { mean, std, column };
}
