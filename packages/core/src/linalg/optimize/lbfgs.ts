import { AbortError, ShapeError, ValueError } from '../../errors/index.js';

/**
 * Objective for {@link minimizeLbfgs}: returns f(x) and writes ∇f(x) into `grad`
 * (same length as x). Both must be finite at every feasible x the optimiser visits.
 */
export type ValueAndGradient = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link minimizeLbfgs}. Defaults follow `scipy.optimize.minimize(method='L-BFGS-B')`. */
export interface LbfgsOptions {
  /** Box constraints per coordinate `[lower, upper]`; use ±Infinity for an open side. */
  bounds?: ReadonlyArray<readonly [number, number]>;
  /** Number of correction pairs kept (default 10, as scipy). */
  memory?: number;
  /** Stop when max |projected gradient| ≤ gtol (default 1e-5, scipy's `pgtol`). */
  gtol?: number;
  /** Stop when the relative decrease (fₖ − fₖ₊₁)/max(|fₖ|, |fₖ₊₁|, 1) ≤ ftol (default 2.22e-9, scipy's factr·eps). */
  ftol?: number;
  /** Maximum iterations (default 15000). */
  maxIterations?: number;
  /** Maximum objective evaluations (default 15000). */
  maxEvaluations?: number;
  /** Aborts between iterations with an {@link AbortError}. */
  signal?: AbortSignal;
}

/** Result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  /** Minimiser found. */
  x: Float64Array;
  /** f(x). */
  f: number;
  /** ∇f(x). */
  grad: Float64Array;
  /** Iterations taken. */
  iterations: number;
  /** Objective evaluations. */
  evaluations: number;
  /** True when a gtol/ftol criterion was met (not an iteration/evaluation limit or a failed line search). */
  converged: boolean;
  /** Why it stopped. */
  message: string;
}

function project(x: Float64Array, lo: Float64Array, hi: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v < lo[i]!) x[i] = lo[i]!;
    else if (v > hi[i]!) x[i] = hi[i]!;
  }
}

/** max_i |P(x − g) − x|: the projected-gradient norm used for convergence (as L-BFGS-B). */
function projectedGradientNorm(x: Float64Array, g: Float64Array, lo: Float64Array, hi: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    let t = x[i]! - g[i]!;
    if (t < lo[i]!) t = lo[i]!;
    else if (t > hi[i]!) t = hi[i]!;
    const d = Math.abs(t - x[i]!);
    if (d > m) m = d;
  }
  return m;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Minimise a smooth function with limited-memory BFGS (Nocedal 1980; Liu & Nocedal 1989),
 * optionally subject to box constraints.
 *
 * Bounds are handled by a projected quasi-Newton scheme (Bertsekas 1982; Kim, Sra & Dhillon
 * 2010): coordinates at a bound whose gradient pushes outward are held fixed, the two-loop
 * recursion acts on the free ones, and the step searches along the projected path
 * P(x + α d) with an Armijo backtracking line search with cubic interpolation. Without
 * bounds this is plain L-BFGS. Convergence tests and defaults follow scipy's L-BFGS-B
 * (projected-gradient ∞-norm ≤ gtol, or relative decrease ≤ ftol).
 *
 * ```ts
 * const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0]! - 3); return (x[0]! - 3) ** 2; }, [0]);
 * // r.x ≈ [3]
 * ```
 * @throws ShapeError when x0 and bounds disagree; ValueError on a non-finite objective at x0
 *   or inconsistent bounds; AbortError when `signal` aborts.
 */
export function minimizeLbfgs(fg: ValueAndGradient, x0: ArrayLike<number>, opts: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const m = opts.memory ?? 10;
  const gtol = opts.gtol ?? 1e-5;
  const ftol = opts.ftol ?? 2.220446049250313e-9;
  const maxIter = opts.maxIterations ?? 15000;
  const maxEval = opts.maxEvaluations ?? 15000;
  const lo = new Float64Array(n).fill(-Infinity);
  const hi = new Float64Array(n).fill(Infinity);
  if (opts.bounds) {
    if (opts.bounds.length !== n) {
      throw new ShapeError(`minimizeLbfgs: ${opts.bounds.length} bounds for ${n} parameters`);
    }
    opts.bounds.forEach(([l, h], i) => {
      if (Number.isNaN(l) || Number.isNaN(h) || l > h) {
        throw new ValueError(`minimizeLbfgs: bounds[${i}] = [${l}, ${h}] is not a valid interval`);
      }
      lo[i] = l;
      hi[i] = h;
    });
  }
  const x = Float64Array.from(x0);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!)) throw new ValueError(`minimizeLbfgs: x0[${i}] = ${x[i]} is not finite`);
  }
  project(x, lo, hi);

  let evaluations = 0;
  const evaluate = (pt: Float64Array, g: Float64Array): number => {
    evaluations++;
    return fg(pt, g);
  };
  const g = new Float64Array(n);
  let f = evaluate(x, g);
  if (!Number.isFinite(f)) throw new ValueError(`minimizeLbfgs: objective is ${f} at the starting point`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(g[i]!)) throw new ValueError(`minimizeLbfgs: gradient[${i}] is ${g[i]} at the starting point`);
  }

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const d = new Float64Array(n);
  const q = new Float64Array(n);
  const free = new Uint8Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const step = new Float64Array(n);
  let iterations = 0;
  let message = '';
  let converged = false;

  if (projectedGradientNorm(x, g, lo, hi) <= gtol) {
    return { x, f, grad: g, iterations: 0, evaluations, converged: true, message: 'projected gradient ≤ gtol at start' };
  }

  for (; iterations < maxIter;) {
    if (opts.signal?.aborted) throw new AbortError('minimizeLbfgs aborted');
    // Free set: not pinned at a bound by an outward-pointing gradient.
    for (let i = 0; i < n; i++) {
      const atLo = x[i]! <= lo[i]! && g[i]! > 0;
      const atHi = x[i]! >= hi[i]! && g[i]! < 0;
      free[i] = atLo || atHi ? 0 : 1;
    }
    // Two-loop recursion on the free coordinates.
    for (let i = 0; i < n; i++) q[i] = free[i] ? g[i]! : 0;
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      const s = S[j]!;
      let a = 0;
      for (let i = 0; i < n; i++) if (free[i]) a += s[i]! * q[i]!;
      a *= rho[j]!;
      alpha[j] = a;
      const y = Y[j]!;
      for (let i = 0; i < n; i++) if (free[i]) q[i] = q[i]! - a * y[i]!;
    }
    let gamma = 1;
    if (k > 0) {
      const s = S[k - 1]!;
      const y = Y[k - 1]!;
      gamma = dot(s, y) / dot(y, y);
    } else {
      // First step: unit-length step along −g (scipy does the same).
      let gn = 0;
      for (let i = 0; i < n; i++) if (free[i]) gn += g[i]! * g[i]!;
      gamma = gn > 0 ? Math.min(1, 1 / Math.sqrt(gn)) : 1;
    }
    for (let i = 0; i < n; i++) q[i] = q[i]! * gamma;
    for (let j = 0; j < k; j++) {
      const y = Y[j]!;
      let b = 0;
      for (let i = 0; i < n; i++) if (free[i]) b += y[i]! * q[i]!;
      b *= rho[j]!;
      const s = S[j]!;
      const c = alpha[j]! - b;
      for (let i = 0; i < n; i++) if (free[i]) q[i] = q[i]! + c * s[i]!;
    }
    for (let i = 0; i < n; i++) d[i] = free[i] ? -q[i]! : 0;
    let slope = dot(d, g);
    if (!(slope < 0)) {
      // Not a descent direction (curvature information went bad): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      let gn = 0;
      for (let i = 0; i < n; i++) {
        d[i] = free[i] ? -g[i]! : 0;
        gn += d[i]! * d[i]!;
      }
      const sc = Math.min(1, 1 / Math.sqrt(gn || 1));
      for (let i = 0; i < n; i++) d[i] = d[i]! * sc;
      slope = dot(d, g);
      if (!(slope < 0)) {
        converged = true;
        message = 'no descent direction: projected gradient vanishes';
        break;
      }
    }

    // Armijo backtracking along the projected path with safeguarded cubic/quadratic interpolation.
    const c1 = 1e-4;
    let t = 1;
    let fNew = NaN;
    let ok = false;
    let tPrev = 0;
    let fPrev = f;
    for (let ls = 0; ls < 40; ls++) {
      if (evaluations >= maxEval) break;
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + t * d[i]!;
      project(xNew, lo, hi);
      let decrease = 0;
      for (let i = 0; i < n; i++) {
        step[i] = xNew[i]! - x[i]!;
        decrease += g[i]! * step[i]!;
      }
      fNew = evaluate(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= f + c1 * decrease) {
        ok = true;
        break;
      }
      // Next trial: minimiser of the interpolant along the ray, kept within [0.1 t, 0.5 t].
      let tNext: number;
      if (!Number.isFinite(fNew)) {
        tNext = 0.1 * t;
      } else if (ls === 0) {
        tNext = (-slope * t * t) / (2 * (fNew - f - slope * t));
      } else {
        const r1 = fNew - f - slope * t;
        const r2 = fPrev - f - slope * tPrev;
        const a = (r1 / (t * t) - r2 / (tPrev * tPrev)) / (t - tPrev);
        const b = ((-tPrev * r1) / (t * t) + (t * r2) / (tPrev * tPrev)) / (t - tPrev);
        if (a === 0) tNext = -slope / (2 * b);
        else {
          const disc = b * b - 3 * a * slope;
          tNext = disc < 0 ? 0.5 * t : (-b + Math.sqrt(disc)) / (3 * a);
        }
      }
      if (!Number.isFinite(tNext)) tNext = 0.5 * t;
      tPrev = t;
      fPrev = fNew;
      t = Math.min(0.5 * t, Math.max(0.1 * t, tNext));
    }
    if (!ok) {
      message = evaluations >= maxEval ? 'maximum evaluations reached' : 'line search failed to decrease the objective';
      // A failed search right after a restart means we are at numerical precision: report convergence
      // only if the projected gradient is already small.
      converged = projectedGradientNorm(x, g, lo, hi) <= Math.sqrt(gtol);
      break;
    }
    iterations++;
    // Curvature pair.
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 2.220446049250313e-16 * dot(y, y)) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const fOld = f;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    if (projectedGradientNorm(x, g, lo, hi) <= gtol) {
      converged = true;
      message = 'projected gradient ≤ gtol';
      break;
    }
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) {
      converged = true;
      message = 'relative reduction of f ≤ ftol';
      break;
    }
    if (evaluations >= maxEval) {
      message = 'maximum evaluations reached';
      break;
    }
  }
  if (!message) message = 'maximum iterations reached';
  return { x, f, grad: g, iterations, evaluations, converged, message };
}
