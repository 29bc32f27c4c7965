import { type Rng, uniformOpen } from '../../sampling/rng.js';
import { clonePoint, hamiltonian, leapfrog, type PhasePoint } from './integrator.js';
import type { LogProbGrad } from './types.js';

/** Energy error beyond which a trajectory is declared divergent (Hoffman & Gelman's Δ_max). */
export const DIVERGENCE_THRESHOLD = 1000;

interface Tree {
  minus: PhasePoint;
  plus: PhasePoint;
  proposal: PhasePoint;
  n: number;
  s: boolean;
  alpha: number;
  nAlpha: number;
  divergent: boolean;
  nLeapfrog: number;
}

/** (θ⁺ − θ⁻)·M⁻¹p ≥ 0 at both ends: the trajectory has not yet made a U-turn. */
export function noUTurn(minus: PhasePoint, plus: PhasePoint, invMass: Float64Array): boolean {
  let a = 0;
  let b = 0;
  for (let i = 0; i < invMass.length; i++) {
    const dth = plus.theta[i]! - minus.theta[i]!;
    a += dth * invMass[i]! * minus.p[i]!;
    b += dth * invMass[i]! * plus.p[i]!;
  }
  return a >= 0 && b >= 0;
}

/**
 * BuildTree of the efficient No-U-Turn Sampler with slice variable (Hoffman & Gelman 2014,
 * Algorithm 6): doubles the trajectory in direction `v` to depth `j`, returning the ends,
 * a uniformly chosen valid point and the acceptance statistics used by dual averaging.
 */
export async function buildTree(
  f: LogProbGrad,
  z: PhasePoint,
  logU: number,
  v: 1 | -1,
  j: number,
  eps: number,
  h0: number,
  invMass: Float64Array,
  rng: Rng,
): Promise<Tree> {
  if (j === 0) {
    const z1 = await leapfrog(f, z, v * eps, invMass);
    const h = hamiltonian(z1, invMass);
    const n = logU <= -h ? 1 : 0;
    const s = logU < DIVERGENCE_THRESHOLD - h;
    const alpha = Number.isFinite(h) ? Math.min(1, Math.exp(h0 - h)) : 0;
    return { minus: z1, plus: z1, proposal: z1, n, s, alpha, nAlpha: 1, divergent: !s, nLeapfrog: 1 };
  }
  const t = await buildTree(f, z, logU, v, j - 1, eps, h0, invMass, rng);
  if (!t.s) return t;
  const t2 = await buildTree(f, v === -1 ? t.minus : t.plus, logU, v, j - 1, eps, h0, invMass, rng);
  const minus = v === -1 ? t2.minus : t.minus;
  const plus = v === -1 ? t.plus : t2.plus;
  const n = t.n + t2.n;
  const proposal = n > 0 && rng.uniform() < t2.n / n ? t2.proposal : t.proposal;
  return {
    minus,
    plus,
    proposal,
    n,
    s: t2.s && noUTurn(minus, plus, invMass),
    alpha: t.alpha + t2.alpha,
    nAlpha: t.nAlpha + t2.nAlpha,
    divergent: t.divergent || t2.divergent,
    nLeapfrog: t.nLeapfrog + t2.nLeapfrog,
  };
}

/** Result of one NUTS transition. */
export interface Transition {
  point: PhasePoint;
  acceptStat: number;
  divergent: boolean;
  nLeapfrog: number;
  depth: number;
}

/** One NUTS transition from `z0` (momentum already drawn), up to `maxDepth` doublings. */
export async function nutsTransition(
  f: LogProbGrad,
  z0: PhasePoint,
  eps: number,
  invMass: Float64Array,
  maxDepth: number,
  rng: Rng,
): Promise<Transition> {
  const h0 = hamiltonian(z0, invMass);
  const logU = -h0 + Math.log(uniformOpen(rng));
  let minus = z0;
  let plus = z0;
  let sample = z0;
  let n = 1;
  let s = true;
  let depth = 0;
  let alpha = 0;
  let nAlpha = 0;
  let divergent = false;
  let nLeapfrog = 0;
  while (s && depth < maxDepth) {
    const v: 1 | -1 = rng.uniform() < 0.5 ? -1 : 1;
    const t = await buildTree(f, v === -1 ? minus : plus, logU, v, depth, eps, h0, invMass, rng);
    if (v === -1) minus = t.minus;
    else plus = t.plus;
    if (t.s && rng.uniform() < t.n / n) sample = t.proposal;
    n += t.n;
    alpha += t.alpha;
    nAlpha += t.nAlpha;
    nLeapfrog += t.nLeapfrog;
    divergent ||= t.divergent;
    s = t.s && noUTurn(minus, plus, invMass);
    depth++;
  }
  return { point: clonePoint(sample), acceptStat: nAlpha > 0 ? alpha / nAlpha : 0, divergent, nLeapfrog, depth };
}
