import { ValueError } from '@astro/core';
import type { Rng } from '../../sampling/rng.js';
import type { LogProbGrad } from './types.js';

/** A phase-space point: position θ, momentum p, log p(θ) and its gradient. */
export interface PhasePoint {
  theta: Float64Array;
  p: Float64Array;
  logp: number;
  grad: Float64Array;
}

/** Copy a phase point. */
export function clonePoint(z: PhasePoint): PhasePoint {
  return { theta: z.theta.slice(), p: z.p.slice(), logp: z.logp, grad: z.grad.slice() };
}

/** Evaluate log p and its gradient, rejecting NaN and +Inf. */
export async function evalPoint(f: LogProbGrad, theta: Float64Array, p: Float64Array): Promise<PhasePoint> {
  const grad = new Float64Array(theta.length);
  const logp = await f(theta, grad);
  if (Number.isNaN(logp) || logp === Infinity)
    throw new ValueError(`log-probability returned ${logp} at θ = [${Array.from(theta).join(', ')}]`);
  return { theta, p, logp, grad };
}

/**
 * One leapfrog (Störmer–Verlet) step of size ε for H(θ, p) = −log p(θ) + ½ pᵀM⁻¹p with a
 * diagonal inverse mass `invMass` (Neal 2011, eq. 5.18–5.20). Returns a new point.
 */
export async function leapfrog(f: LogProbGrad, z: PhasePoint, eps: number, invMass: Float64Array): Promise<PhasePoint> {
  const d = z.theta.length;
  const p = new Float64Array(d);
  const theta = new Float64Array(d);
  for (let i = 0; i < d; i++) p[i] = z.p[i]! + 0.5 * eps * z.grad[i]!;
  for (let i = 0; i < d; i++) theta[i] = z.theta[i]! + eps * invMass[i]! * p[i]!;
  const grad = new Float64Array(d);
  const logp = await f(theta, grad);
  if (Number.isNaN(logp) || logp === Infinity) {
    return { theta, p, logp: -Infinity, grad };
  }
  for (let i = 0; i < d; i++) p[i] = p[i]! + 0.5 * eps * grad[i]!;
  return { theta, p, logp, grad };
}

/** Kinetic energy ½ pᵀ M⁻¹ p. */
export function kinetic(p: Float64Array, invMass: Float64Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += p[i]! * p[i]! * invMass[i]!;
  return 0.5 * s;
}

/** Hamiltonian H = −log p + kinetic (Infinity outside the support). */
export function hamiltonian(z: PhasePoint, invMass: Float64Array): number {
  return z.logp === -Infinity ? Infinity : -z.logp + kinetic(z.p, invMass);
}

/** Draw p ~ N(0, M) for a diagonal mass M = 1/invMass. */
export function sampleMomentum(rng: Rng, invMass: Float64Array): Float64Array {
  const p = new Float64Array(invMass.length);
  for (let i = 0; i < p.length; i++) p[i] = rng.normal() / Math.sqrt(invMass[i]!);
  return p;
}

/**
 * A reasonable first step size (Hoffman & Gelman 2014, Algorithm 4): double or halve ε until
 * the acceptance probability of one leapfrog step crosses 1/2.
 */
export async function findReasonableStepSize(f: LogProbGrad, theta: Float64Array, invMass: Float64Array, rng: Rng): Promise<number> {
  let eps = 1;
  const z0 = await evalPoint(f, theta.slice(), sampleMomentum(rng, invMass));
  const h0 = hamiltonian(z0, invMass);
  let z1 = await leapfrog(f, z0, eps, invMass);
  let logRatio = h0 - hamiltonian(z1, invMass);
  const a = logRatio > Math.log(0.5) ? 1 : -1;
  for (let i = 0; i < 100; i++) {
    if (!(a * logRatio > -a * Math.log(2))) break;
    eps *= 2 ** a;
    z1 = await leapfrog(f, z0, eps, invMass);
    logRatio = h0 - hamiltonian(z1, invMass);
    if (Number.isNaN(logRatio)) logRatio = -Infinity;
  }
  return eps;
}
