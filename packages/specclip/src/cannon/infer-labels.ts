import { cholesky, choInverse, choSolve } from '@astro/core/linalg';
import { quadraticLabelJacobian, quadraticLabelVector } from './label-vector.js';

/** Result of fitting one spectrum's labels (in scaled label space). */
export interface LabelFit {
  labels: Float64Array;
  /** Formal 1σ of each scaled label from (JᵀWJ)⁻¹ at the optimum. */
  labelErr: Float64Array;
  chi2: number;
  iterations: number;
  converged: boolean;
}

/** χ² of one spectrum against the Cannon model at scaled labels `l`. */
export function spectrumChi2(
  theta: Float64Array,
  K: number,
  l: ArrayLike<number>,
  flux: Float64Array,
  weight: Float64Array,
  v = new Float64Array(K),
): number {
  quadraticLabelVector(l, v);
  let c = 0;
  for (let p = 0; p < flux.length; p++) {
    if (weight[p] === 0) continue;
    let m = 0;
    for (let a = 0; a < K; a++) m += theta[p * K + a]! * v[a]!;
    c += weight[p]! * (flux[p]! - m) ** 2;
  }
  return c;
}

/**
 * Levenberg–Marquardt (Marquardt 1963) minimisation of χ²(ℓ) = Σ_λ w_λ (f_λ − θ_λ·v(ℓ))² over the
 * scaled labels of one spectrum — The Cannon's test step (Ness et al. 2015, eq. 6). `theta`
 * [pixels, K], weights w = 1/(σ² + s²) (0 for masked pixels), start ℓ₀ (scaled).
 */
export function fitSpectrumLabels(
  theta: Float64Array,
  K: number,
  L: number,
  flux: Float64Array,
  weight: Float64Array,
  start: ArrayLike<number>,
  maxIterations = 200,
): LabelFit {
  const P = flux.length;
  const l = Float64Array.from(start);
  const v = new Float64Array(K);
  const jv = new Float64Array(K * L);
  const J = new Float64Array(P * L);
  const r = new Float64Array(P);
  const trial = new Float64Array(L);
  let chi2 = spectrumChi2(theta, K, l, flux, weight, v);
  let mu = -1;
  let converged = false;
  let it = 0;
  const linearise = (): { jtj: Float64Array; jtr: Float64Array } => {
    quadraticLabelVector(l, v);
    quadraticLabelJacobian(l, jv);
    const jtj = new Float64Array(L * L);
    const jtr = new Float64Array(L);
    for (let p = 0; p < P; p++) {
      const w = weight[p]!;
      if (w === 0) continue;
      let m = 0;
      for (let a = 0; a < K; a++) m += theta[p * K + a]! * v[a]!;
      r[p] = flux[p]! - m;
      for (let k = 0; k < L; k++) {
        let s = 0;
        for (let a = 0; a < K; a++) s += theta[p * K + a]! * jv[a * L + k]!;
        J[p * L + k] = s;
      }
      for (let i = 0; i < L; i++) {
        jtr[i] = jtr[i]! + w * J[p * L + i]! * r[p]!;
        for (let j = 0; j <= i; j++) jtj[i * L + j] = jtj[i * L + j]! + w * J[p * L + i]! * J[p * L + j]!;
      }
    }
    for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) jtj[i * L + j] = jtj[j * L + i]!;
    return { jtj, jtr };
  };
  let { jtj, jtr } = linearise();
  if (mu < 0) {
    let d = 0;
    for (let i = 0; i < L; i++) d = Math.max(d, jtj[i * L + i]!);
    mu = 1e-3 * (d || 1);
  }
  for (; it < maxIterations; it++) {
    const a = Float64Array.from(jtj);
    for (let i = 0; i < L; i++) a[i * L + i] = a[i * L + i]! + mu * Math.max(jtj[i * L + i]!, 1e-12);
    let step: Float64Array;
    try {
      step = choSolve(cholesky(a, L, { jitter: false, assumeFinite: true }), jtr);
    } catch {
      mu *= 10;
      continue;
    }
    let stepNorm = 0;
    let xNorm = 0;
    for (let i = 0; i < L; i++) {
      trial[i] = l[i]! + step[i]!;
      stepNorm += step[i]! ** 2;
      xNorm += l[i]! ** 2;
    }
    const c = spectrumChi2(theta, K, trial, flux, weight, v);
    if (Number.isFinite(c) && c <= chi2) {
      const drop = chi2 - c;
      l.set(trial);
      chi2 = c;
      mu = Math.max(mu / 3, 1e-12);
      ({ jtj, jtr } = linearise());
      if (drop <= 1e-12 * Math.max(chi2, 1) || Math.sqrt(stepNorm) <= 1e-10 * (Math.sqrt(xNorm) + 1e-10)) {
        converged = true;
        it++;
        break;
      }
    } else {
      mu *= 4;
      if (mu > 1e12) {
        converged = true; // no downhill step left at this precision: a minimum
        break;
      }
    }
  }
  const labelErr = new Float64Array(L).fill(NaN);
  try {
    const inv = choInverse(cholesky(jtj, L, { jitter: false, assumeFinite: true }));
    for (let i = 0; i < L; i++) labelErr[i] = Math.sqrt(inv[i * L + i]!);
  } catch {
    // singular Fisher matrix: errors stay NaN
  }
  return { labels: l, labelErr, chi2, iterations: it, converged };
}
