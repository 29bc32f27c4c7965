import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KernelSpec } from '../../src/index.js';

/** tools/fixtures/bayes_ml_mcmc_gp.py → gp.json. */
export interface GpFixture {
  kernels: {
    X: number[];
    X2: number[];
    cases: Array<{ spec: KernelSpec; theta: number[]; K: number[]; dK: number[]; nTheta: number; K12: number[]; diag: number[] }>;
  };
  regression: {
    X: number[];
    y: number[];
    Xs: number[];
    alpha: number;
    kernel: KernelSpec;
    theta0: number[];
    lml0: number;
    grad0: number[];
    thetaOpt: number[];
    lmlOpt: number;
    mean: number[];
    std: number[];
    cov: number[];
    normalizeY: { yScale: number; yShift: number; mean: number[]; std: number[] };
  };
  classification: {
    X: number[];
    y: number[];
    Xs: number[];
    kernel: KernelSpec;
    lml: number;
    grad: number[];
    fHat: number[];
    proba: number[];
    optimised: { theta: number[]; lml: number };
  };
}

export const gpFixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'mcmc_gp', 'gp.json'), 'utf8')) as GpFixture;

/** Max |a − b| / (atol + rtol |b|) ≤ 1 check with a readable failure. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>, atol = 1e-12): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / (atol + Math.abs(b[i]!)));
  return m;
}
