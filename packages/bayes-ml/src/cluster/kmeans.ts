import { ShapeError, ValueError } from '@astro/core';
import { Rng, toRng } from '../sampling/rng.js';
import { toDense, toVector, type DenseMatrix, type RowsInput } from '../linalg/index.js';

/** Options of {@link kMeans}; names and defaults follow `sklearn.cluster.KMeans`. */
export interface KMeansOptions {
  /** Number of clusters k ≥ 1. */
  k: number;
  /** `'k-means++'` (default), `'random'` (k distinct samples), or explicit k × d initial centres. */
  init?: 'k-means++' | 'random' | RowsInput;
  /** Independent initialisations; the lowest inertia wins (default 1 for k-means++/explicit, 10 for random). */
  nInit?: number;
  /** Lloyd iterations per run (default 300). */
  maxIterations?: number;
  /** Stop when Σ‖Δcentre‖² ≤ tol · mean per-feature variance (default 1e-4, as sklearn). */
  tol?: number;
  /** Non-negative sample weights (default 1). */
  sampleWeight?: ArrayLike<number>;
  /** Seed or generator for the initialisation (default seed 0). */
  seed?: number | Rng;
}

/** A fitted k-means clustering. */
export interface KMeansResult {
  /** Cluster centres (k × d). */
  centres: DenseMatrix;
  /** Index of the nearest centre for every sample. */
  labels: Int32Array;
  /** Σᵢ wᵢ ‖xᵢ − c_{label i}‖² (sklearn `inertia_`). */
  inertia: number;
  /** Lloyd iterations of the winning run. */
  iterations: number;
  /** Nearest-centre labels of new points. */
  predict(X: RowsInput): Int32Array;
}

/** Squared Euclidean distance between row i of X and row c of the centres. */
function dist2(x: Float64Array, i: number, C: Float64Array, c: number, d: number): number {
  let s = 0;
  const xi = i * d,
    cc = c * d;
  for (let j = 0; j < d; j++) {
    const t = x[xi + j]! - C[cc + j]!;
    s += t * t;
  }
  return s;
}

/** Assign labels (exact nearest centre) and return the inertia Σ wᵢ ‖xᵢ − c‖². */
function assign(x: Float64Array, n: number, d: number, C: Float64Array, k: number, w: Float64Array, labels: Int32Array): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let arg = 0;
    const xi = i * d;
    for (let c = 0; c < k; c++) {
      const cc = c * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = x[xi + j]! - C[cc + j]!;
        s += t * t;
      }
      if (s < best) {
        best = s;
        arg = c;
      }
    }
    labels[i] = arg;
    inertia += w[i]! * best;
  }
  return inertia;
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007) with sklearn's greedy variant: each new centre
 * is the best of 2 + ⌊ln k⌋ candidates drawn ∝ wᵢ D(xᵢ)².
 */
export function kMeansPlusPlus(x: Float64Array, n: number, d: number, k: number, w: Float64Array, rng: Rng): Float64Array {
  const C = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const cumulative = (arr: Float64Array): Float64Array => {
    const cs = new Float64Array(n);
    let s = 0;
    for (let i = 0; i < n; i++) cs[i] = s += arr[i]!;
    return cs;
  };
  const draw = (cs: Float64Array): number => {
    const u = rng.uniform() * cs[n - 1]!;
    let lo = 0,
      hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cs[mid]! <= u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const first = draw(cumulative(w));
  C.set(x.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = dist2(x, i, C, 0, d);
  const pot = new Float64Array(n);
  const cand = new Float64Array(d);
  for (let c = 1; c < k; c++) {
    for (let i = 0; i < n; i++) pot[i] = w[i]! * closest[i]!;
    const cs = cumulative(pot);
    let bestPot = Infinity;
    let bestIdx = 0;
    for (let t = 0; t < trials; t++) {
      const idx = cs[n - 1]! > 0 ? draw(cs) : rng.below(n);
      cand.set(x.subarray(idx * d, idx * d + d));
      let s = 0;
      for (let i = 0; i < n; i++) {
        let dd = 0;
        for (let j = 0; j < d; j++) {
          const q = x[i * d + j]! - cand[j]!;
          dd += q * q;
        }
        s += w[i]! * Math.min(closest[i]!, dd);
      }
      if (s < bestPot) {
        bestPot = s;
        bestIdx = idx;
      }
    }
    C.set(x.subarray(bestIdx * d, bestIdx * d + d), c * d);
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i]!, dist2(x, i, C, c, d));
  }
  return C;
}

/**
 * One run of weighted Lloyd iterations from centres C (mutated), accelerated by Hamerly's (2010)
 * distance bounds: a point whose upper bound to its centre is below both half the distance from
 * that centre to the nearest other centre and its lower bound to the second-closest centre
 * cannot change cluster, so its k distances are skipped. The assignments are exactly Lloyd's.
 */
function lloyd(
  x: Float64Array,
  n: number,
  d: number,
  C: Float64Array,
  k: number,
  w: Float64Array,
  maxIt: number,
  tolScaled: number,
): { labels: Int32Array; inertia: number; iterations: number } {
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const sums = new Float64Array(k * d);
  const mass = new Float64Array(k);
  const half = new Float64Array(k);
  const move = new Float64Array(k);
  const cNorm = new Float64Array(k);
  const xNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j]! * x[i * d + j]!;
    xNorm[i] = s;
  }
  let it = 0;
  let strict = false;
  let first = true;
  for (; it < maxIt;) {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += C[c * d + j]! * C[c * d + j]!;
      cNorm[c] = s;
    }
    // Half the distance from each centre to its nearest neighbour.
    for (let c = 0; c < k; c++) {
      let m = Infinity;
      for (let e = 0; e < k; e++) {
        if (e === c) continue;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = C[c * d + j]! - C[e * d + j]!;
          s += t * t;
        }
        if (s < m) m = s;
      }
      half[c] = 0.5 * Math.sqrt(m);
    }
    let changed = false;
    for (let i = 0; i < n; i++) {
      const xi = i * d;
      let a = labels[i]!;
      if (!first) {
        const bound = Math.max(half[a]!, lower[i]!);
        if (upper[i]! <= bound) continue;
        let s = 0;
        for (let j = 0; j < d; j++) {
          const t = x[xi + j]! - C[a * d + j]!;
          s += t * t;
        }
        upper[i] = Math.sqrt(s);
        if (upper[i]! <= bound) continue;
      }
      // ‖x − c‖² = ‖x‖² + ‖c‖² − 2 x·c: one multiply-add per coordinate (as sklearn's GEMM path).
      let b1 = Infinity,
        b2 = Infinity,
        arg = 0;
      const xn = xNorm[i]!;
      for (let c = 0; c < k; c++) {
        const cc = c * d;
        let dot = 0;
        for (let j = 0; j < d; j++) dot += x[xi + j]! * C[cc + j]!;
        const s = Math.max(xn + cNorm[c]! - 2 * dot, 0);
        if (s < b1) {
          b2 = b1;
          b1 = s;
          arg = c;
        } else if (s < b2) b2 = s;
      }
      if (first || arg !== a) changed = true;
      a = arg;
      labels[i] = a;
      upper[i] = Math.sqrt(b1);
      lower[i] = Math.sqrt(b2);
    }
    if (!first && !changed) {
      it++; // counted as in sklearn: this pass recomputes unchanged centres
      strict = true;
      break; // strict convergence
    }
    first = false;
    sums.fill(0);
    mass.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      const wi = w[i]!;
      mass[c] = mass[c]! + wi;
      for (let j = 0; j < d; j++) sums[c * d + j] = sums[c * d + j]! + wi * x[i * d + j]!;
    }
    let shift = 0;
    let m1 = 0,
      m2 = 0,
      r = -1;
    for (let c = 0; c < k; c++) {
      let s = 0;
      if (mass[c]! > 0) {
        // Empty clusters keep their centre.
        for (let j = 0; j < d; j++) {
          const v = sums[c * d + j]! / mass[c]!;
          const t = v - C[c * d + j]!;
          s += t * t;
          C[c * d + j] = v;
        }
      }
      shift += s;
      move[c] = Math.sqrt(s);
      if (move[c]! > m1) {
        m2 = m1;
        m1 = move[c]!;
        r = c;
      } else if (move[c]! > m2) m2 = move[c]!;
    }
    for (let i = 0; i < n; i++) {
      const a = labels[i]!;
      upper[i] = upper[i]! + move[a]!;
      lower[i] = lower[i]! - (a === r ? m2 : m1);
    }
    it++;
    if (shift <= tolScaled) break;
  }
  let inertia = 0;
  if (strict) {
    // Labels are exact for the (unchanged) centres: only the inertia remains.
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = x[i * d + j]! - C[c * d + j]!;
        s += t * t;
      }
      inertia += w[i]! * s;
    }
  } else inertia = assign(x, n, d, C, k, w, labels);
  return { labels, inertia, iterations: Math.max(it, 1) };
}

/**
 * k-means clustering by Lloyd's algorithm (Lloyd 1982; exact, accelerated with Hamerly 2010
 * bounds) with sample weights, k-means++ seeding, several seeded initialisations, and sklearn's
 * convergence rule. Reproduces scikit-learn's
 * hand-computed case: X = [[0,0],[.5,0],[.5,1],[1,1]], weights [3,1,1,3], initial centres
 * [[0,0],[1,1]] → labels [0,0,1,1], inertia 0.375.
 * @throws ShapeError / ValueError on bad shapes, NaN/Inf, k outside [1, n], negative weights.
 */
export function kMeans(X: RowsInput, opts: KMeansOptions): KMeansResult {
  const A = toDense(X, 'kMeans: X');
  const { rows: n, cols: d, data: x } = A;
  const k = opts.k;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new ValueError(`kMeans: k must be an integer in [1, ${n}], got ${k}`);
  const w = opts.sampleWeight ? toVector(opts.sampleWeight, 'kMeans: sampleWeight', n) : new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) if (!(w[i]! >= 0)) throw new ValueError(`kMeans: sampleWeight must be ≥ 0, got ${w[i]} at index ${i}`);
  const init = opts.init ?? 'k-means++';
  let explicit: Float64Array | undefined;
  if (typeof init !== 'string') {
    const I = toDense(init, 'kMeans: init');
    if (I.rows !== k || I.cols !== d) throw new ShapeError(`kMeans: init must be ${k}×${d}, got ${I.rows}×${I.cols}`);
    explicit = I.data;
  }
  const nInit = opts.nInit ?? (init === 'random' ? 10 : 1);
  if (!Number.isInteger(nInit) || nInit < 1) throw new ValueError(`kMeans: nInit must be an integer ≥ 1, got ${nInit}`);
  const rng = toRng(opts.seed);
  // tol is relative to the mean per-feature variance, as sklearn's _tolerance (row-wise passes).
  const colMean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) colMean[j] = colMean[j]! + x[i * d + j]!;
  for (let j = 0; j < d; j++) colMean[j] = colMean[j]! / n;
  let meanVar = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const t = x[i * d + j]! - colMean[j]!;
      meanVar += t * t;
    }
  }
  meanVar /= n * d;
  const tolScaled = (opts.tol ?? 1e-4) * meanVar;
  const maxIt = opts.maxIterations ?? 300;
  if (!Number.isInteger(maxIt) || maxIt < 1) throw new ValueError(`kMeans: maxIterations must be an integer ≥ 1, got ${maxIt}`);
  if (opts.tol !== undefined && !(opts.tol >= 0)) throw new ValueError(`kMeans: tol must be ≥ 0, got ${opts.tol}`);
  let best: { C: Float64Array; labels: Int32Array; inertia: number; iterations: number } | undefined;
  for (let r = 0; r < (explicit ? 1 : nInit); r++) {
    let C: Float64Array;
    if (explicit) C = explicit.slice();
    else if (init === 'random') {
      C = new Float64Array(k * d);
      const chosen = new Set<number>();
      for (let c = 0; c < k; c++) {
        let idx = rng.below(n);
        while (chosen.has(idx)) idx = rng.below(n);
        chosen.add(idx);
        C.set(x.subarray(idx * d, idx * d + d), c * d);
      }
    } else C = kMeansPlusPlus(x, n, d, k, w, rng);
    const res = lloyd(x, n, d, C, k, w, maxIt, tolScaled);
    if (!best || res.inertia < best.inertia) best = { C, ...res };
  }
  const { C, labels, inertia, iterations } = best!;
  return {
    centres: { data: C, rows: k, cols: d },
    labels,
    inertia,
    iterations,
    predict(Xn) {
      const B = toDense(Xn, 'predict: X');
      if (B.cols !== d) throw new ShapeError(`predict: X has ${B.cols} features, the centres have ${d}`);
      const out = new Int32Array(B.rows);
      assign(B.data, B.rows, d, C, k, new Float64Array(B.rows), out);
      return out;
    },
  };
}
