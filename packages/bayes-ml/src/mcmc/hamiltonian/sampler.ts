import { AbortError, ShapeError, ValueError, assertFinite } from '@astro/core';
import { toRng, type Rng } from '../../sampling/rng.js';
import type { Chain } from '../chain.js';
import { progressReporter, yieldToEventLoop, type ProgressOption } from '../progress.js';
import { DualAveraging } from './dual-averaging.js';
import { evalPoint, findReasonableStepSize, hamiltonian, leapfrog, sampleMomentum, type PhasePoint } from './integrator.js';
import { nutsTransition, type Transition } from './nuts-tree.js';
import type { LogProbGrad } from './types.js';
import { DiagonalMassEstimator, massWindow } from './warmup.js';

/** Options shared by {@link hmc} and {@link nuts}. */
export interface HamiltonianOptions {
  /** log p(θ) and its gradient (user-supplied, or from {@link tfjsLogProbGrad}). */
  logProbGrad: LogProbGrad;
  /** Starting point (length nDim), inside the support. */
  x0: ArrayLike<number>;
  /** Draws to keep after warm-up. */
  nSamples: number;
  /** Warm-up iterations with step-size (and mass) adaptation, discarded (default nSamples). */
  nWarmup?: number;
  /** Initial step size (default: Hoffman & Gelman's heuristic). Fixed when `adaptStepSize` is false. */
  stepSize?: number;
  /** Adapt the step size by dual averaging during warm-up (default true). */
  adaptStepSize?: boolean;
  /** Target mean acceptance statistic (default 0.8 for NUTS, 0.65 for HMC). */
  targetAccept?: number;
  /** Adapt a diagonal mass matrix in a Stan-like slow window (default true). */
  adaptMass?: boolean;
  /** Fixed diagonal inverse mass (posterior variance scale); default identity. */
  invMass?: ArrayLike<number>;
  seed?: number | Rng;
  progress?: ProgressOption;
  signal?: AbortSignal;
}

/** Result of {@link hmc} or {@link nuts}. */
export interface HamiltonianResult {
  /** Draws as a one-chain {@link Chain} [nSamples, 1, nDim]. */
  chain: Chain;
  /** log p at each draw. */
  logProb: Float64Array;
  /** Mean acceptance statistic after warm-up. */
  meanAcceptStat: number;
  /** Number of divergent transitions after warm-up (energy error > 1000). */
  divergences: number;
  /** Step size used after warm-up. */
  stepSize: number;
  /** Diagonal inverse mass used after warm-up. */
  invMass: Float64Array;
  /** Leapfrog steps per draw (gradient evaluations), after warm-up. */
  nLeapfrog: Uint32Array;
}

type Kernel = (z0: PhasePoint, eps: number, invMass: Float64Array, rng: Rng) => Promise<Transition>;

/** Shared warm-up / sampling driver for HMC and NUTS. */
export async function runHamiltonian(
  opts: HamiltonianOptions,
  kernel: Kernel,
  defaultTarget: number,
  label: string,
): Promise<HamiltonianResult> {
  const f = opts.logProbGrad;
  const theta0 = Float64Array.from(opts.x0);
  const d = theta0.length;
  if (d === 0) throw new ShapeError(`${label}: x0 is empty`);
  assertFinite(theta0, `${label}: x0`);
  const { nSamples } = opts;
  if (!Number.isInteger(nSamples) || nSamples < 1) throw new ValueError(`nSamples must be a positive integer, got ${nSamples}`);
  const nWarmup = opts.nWarmup ?? nSamples;
  const rng = toRng(opts.seed);
  let invMass: Float64Array = new Float64Array(d).fill(1);
  if (opts.invMass) {
    if (opts.invMass.length !== d) throw new ShapeError(`invMass has length ${opts.invMass.length}, expected ${d}`);
    invMass = Float64Array.from(opts.invMass);
    for (const v of invMass) if (!(v > 0) || !Number.isFinite(v)) throw new ValueError('invMass must be positive and finite');
  }
  let z = await evalPoint(f, theta0, new Float64Array(d));
  if (z.logp === -Infinity) throw new ValueError(`${label}: log p(x0) = -Infinity; start inside the support`);
  assertFinite(z.grad, `${label}: gradient at x0`);
  const adaptStep = opts.adaptStepSize ?? true;
  let eps = opts.stepSize ?? (await findReasonableStepSize(f, z.theta, invMass, rng));
  if (!(eps > 0) || !Number.isFinite(eps)) throw new ValueError(`${label}: step size must be positive, got ${eps}`);
  const target = opts.targetAccept ?? defaultTarget;
  let da = new DualAveraging(eps, target);
  const window = (opts.adaptMass ?? true) ? massWindow(nWarmup) : undefined;
  let massEst = new DiagonalMassEstimator(d);
  const out = new Float64Array(nSamples * d);
  const outLp = new Float64Array(nSamples);
  const nLeap = new Uint32Array(nSamples);
  let acceptSum = 0;
  let divergences = 0;
  const total = nWarmup + nSamples;
  const report = progressReporter(opts.progress, label);
  let lastYield = Date.now();
  for (let it = 0; it < total; it++) {
    if (opts.signal?.aborted) throw new AbortError(`${label} aborted`);
    z.p = sampleMomentum(rng, invMass);
    const tr = await kernel(z, eps, invMass, rng);
    z = tr.point;
    if (it < nWarmup) {
      if (adaptStep) eps = da.update(tr.acceptStat);
      if (window && it >= window.start && it < window.end) massEst.add(z.theta);
      if (window && it === window.end - 1) {
        invMass = massEst.invMass();
        massEst = new DiagonalMassEstimator(d);
        if (adaptStep) {
          eps = await findReasonableStepSize(f, z.theta, invMass, rng);
          da = new DualAveraging(eps, target);
        }
      }
      if (it === nWarmup - 1 && adaptStep) eps = da.final();
    } else {
      const k = it - nWarmup;
      out.set(z.theta, k * d);
      outLp[k] = z.logp;
      nLeap[k] = tr.nLeapfrog;
      acceptSum += tr.acceptStat;
      if (tr.divergent) divergences++;
    }
    report({ step: it + 1, total, acceptance: it >= nWarmup ? acceptSum / (it - nWarmup + 1) : tr.acceptStat });
    if ((opts.signal || opts.progress) && Date.now() - lastYield > 50) {
      await yieldToEventLoop();
      lastYield = Date.now();
    }
  }
  return {
    chain: { data: out, nSteps: nSamples, nWalkers: 1, nDim: d },
    logProb: outLp,
    meanAcceptStat: acceptSum / nSamples,
    divergences,
    stepSize: eps,
    invMass,
    nLeapfrog: nLeap,
  };
}

/** Options of {@link hmc}. */
export interface HmcOptions extends HamiltonianOptions {
  /** Integration time ε·L; the number of leapfrog steps is ⌈λ/ε⌉, jittered ±10% (default 1). */
  trajectoryLength?: number;
  /** Fixed number of leapfrog steps (overrides `trajectoryLength`). */
  nLeapfrog?: number;
}

/**
 * Hamiltonian Monte Carlo (Duane et al. 1987; Neal 2011) with leapfrog integration, a diagonal
 * mass matrix, step size tuned by dual averaging (target acceptance 0.65) and a Metropolis
 * correction on the total energy.
 */
export function hmc(opts: HmcOptions): Promise<HamiltonianResult> {
  const lambda = opts.trajectoryLength ?? 1;
  const kernel: Kernel = async (z0, eps, invMass, rng) => {
    const base = opts.nLeapfrog ?? Math.max(1, Math.ceil(lambda / eps));
    const steps = opts.nLeapfrog ?? Math.max(1, Math.round(base * (0.9 + 0.2 * rng.uniform())));
    const limit = Math.min(steps, 1024);
    const h0 = hamiltonian(z0, invMass);
    let z = z0;
    let n = 0;
    for (; n < limit; n++) {
      z = await leapfrog(opts.logProbGrad, z, eps, invMass);
      if (z.logp === -Infinity) break;
    }
    const h1 = hamiltonian(z, invMass);
    const acceptStat = Number.isFinite(h1) ? Math.min(1, Math.exp(h0 - h1)) : 0;
    const divergent = !(h1 - h0 < 1000);
    const accept = rng.uniform() < acceptStat;
    return { point: accept ? z : z0, acceptStat, divergent, nLeapfrog: n, depth: 0 };
  };
  return runHamiltonian(opts, kernel, 0.65, 'hmc');
}

/** Options of {@link nuts}. */
export interface NutsOptions extends HamiltonianOptions {
  /** Maximum tree depth (2^depth leapfrog steps at most; default 10). */
  maxTreeDepth?: number;
}

/**
 * The No-U-Turn Sampler (Hoffman & Gelman 2014, Algorithm 6 with dual averaging), with a
 * diagonal mass matrix adapted in a Stan-like warm-up window. The trajectory length is chosen
 * automatically by doubling until the path turns back on itself.
 */
export function nuts(opts: NutsOptions): Promise<HamiltonianResult> {
  const maxDepth = opts.maxTreeDepth ?? 10;
  const kernel: Kernel = (z0, eps, invMass, rng) => nutsTransition(opts.logProbGrad, z0, eps, invMass, maxDepth, rng);
  return runHamiltonian(opts, kernel, 0.8, 'nuts');
}
