import { ValueError } from '../errors/index.js';
import { checkFiniteMatrix, checkSize } from './check.js';
import { choleskyBlocked, useBlocked } from './blocked.js';
import { NotPositiveDefiniteError } from './errors.js';

/** Lower Cholesky factor of an n×n matrix: A + jitter·I = L Lᵀ. */
export interface CholeskyFactor {
  /** Row-major n×n lower-triangular factor (upper triangle is zero). */
  readonly L: Float64Array;
  /** Matrix order. */
  readonly n: number;
  /** Diagonal jitter that was added to make the factorisation succeed (0 when none was needed). */
  readonly jitter: number;
}

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /**
   * What to do when A is not numerically positive definite:
   * - `'auto'` (default): add jitter·I, starting at `1e-10 × mean(diag A)` and growing ×10 up to
   *   `maxJitterTries` times, warning each time jitter is used;
   * - a number: add exactly this jitter up front (no escalation);
   * - `false`: throw {@link NotPositiveDefiniteError} at once.
   */
  jitter?: 'auto' | number | false;
  /** Maximum number of escalation steps for `'auto'` jitter (default 6, i.e. up to 1e-5 relative). */
  maxJitterTries?: number;
  /** Receives the warning when jitter is used; defaults to `console.warn`. */
  onWarning?: (message: string) => void;
  /** Skip the NaN/Inf scan of A (for hot loops whose input is known finite). */
  assumeFinite?: boolean;
}

/** Rows per block of the blocked factorisation (a block of rows of L stays in cache). */
const BLOCK = 48;

/** s − Σ_{k<len} a[ia+k]·b[ib+k], 4-way unrolled. */
function dotSub(s: number, a: Float64Array, ia: number, b: Float64Array, ib: number, len: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ia + k]! * b[ib + k]!;
    s1 += a[ia + k + 1]! * b[ib + k + 1]!;
    s2 += a[ia + k + 2]! * b[ib + k + 2]!;
    s3 += a[ia + k + 3]! * b[ib + k + 3]!;
  }
  for (; k < len; k++) s0 += a[ia + k]! * b[ib + k]!;
  return s - (s0 + s1 + s2 + s3);
}

/**
 * Factor into `out` (lower triangle). Returns −1 on success, else the failing row.
 * Large matrices take the right-looking blocked factorisation with a WebAssembly-SIMD trailing
 * update (`blocked.ts`); otherwise (and without SIMD) this loop runs:
 * row-oriented (Cholesky–Banachiewicz) and blocked by rows: each finished row j of L is
 * streamed once per block of BLOCK rows instead of once per row, so both inner-product
 * operands are contiguous and the working set stays in cache.
 */
function factorInto(a: Float64Array, n: number, jitter: number, out: Float64Array): number {
  if (useBlocked(n)) {
    const r = choleskyBlocked(a, n, jitter, out);
    if (r !== undefined) return r;
  }
  out.fill(0);
  for (let I = 0; I < n; I += BLOCK) {
    const end = Math.min(I + BLOCK, n);
    // Columns j < I of the block's rows, against rows finished earlier.
    for (let j = 0; j < I; j++) {
      const rj = j * n;
      const djj = out[rj + j]!;
      for (let i = I; i < end; i++) {
        const ri = i * n;
        out[ri + j] = dotSub(a[ri + j]!, out, ri, out, rj, j) / djj;
      }
    }
    // The block's own lower triangle.
    for (let i = I; i < end; i++) {
      const ri = i * n;
      for (let j = I; j <= i; j++) {
        const rj = j * n;
        const s = dotSub(a[ri + j]!, out, ri, out, rj, j);
        if (i === j) {
          const v = s + jitter;
          if (!(v > 0)) return i;
          out[ri + i] = Math.sqrt(v);
        } else {
          out[ri + j] = s / out[rj + j]!;
        }
      }
    }
  }
  return -1;
}

/**
 * Cholesky factorisation A = L Lᵀ of a symmetric positive-definite n×n matrix (row-major,
 * only the lower triangle is read). Ill-conditioned input gets diagonal jitter with a warning
 * (see {@link CholeskyOptions.jitter}) or a {@link NotPositiveDefiniteError}.
 *
 * Cost n³/3 flops, in a blocked WebAssembly-SIMD (f64x2) factorisation for n ≥ 96; e.g. a GP
 * kernel matrix of 2000 points factors in a fraction of a second.
 * @throws ShapeError if `a` is not n×n; ValueError on NaN/Inf; NotPositiveDefiniteError.
 */
export function cholesky(a: ArrayLike<number>, n: number, opts: CholeskyOptions = {}): CholeskyFactor {
  checkSize(a, n, n, 'cholesky: A');
  if (!opts.assumeFinite) checkFiniteMatrix(a, n, 'cholesky: A');
  const A = a instanceof Float64Array ? a : Float64Array.from(a);
  const L = new Float64Array(n * n);
  const mode = opts.jitter ?? 'auto';
  if (typeof mode === 'number') {
    if (!(mode >= 0)) throw new ValueError(`cholesky: jitter must be ≥ 0, got ${mode}`);
    const bad = factorInto(A, n, mode, L);
    if (bad >= 0) {
      throw new NotPositiveDefiniteError(`cholesky: matrix is not positive definite (pivot ${bad} ≤ 0 with jitter ${mode})`, bad, mode);
    }
    return { L, n, jitter: mode };
  }
  let bad = factorInto(A, n, 0, L);
  if (bad < 0) return { L, n, jitter: 0 };
  if (mode === false) {
    throw new NotPositiveDefiniteError(
      `cholesky: matrix is not positive definite (non-positive pivot at row ${bad}); ` + `pass { jitter: 'auto' } to regularise`,
      bad,
      0,
    );
  }
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += Math.abs(A[i * n + i]!);
  meanDiag = n > 0 ? meanDiag / n : 1;
  if (!(meanDiag > 0)) meanDiag = 1;
  const tries = opts.maxJitterTries ?? 6;
  let jitter = 1e-10 * meanDiag;
  const warn = opts.onWarning ?? ((m: string) => console.warn(m));
  for (let t = 0; t < tries; t++, jitter *= 10) {
    bad = factorInto(A, n, jitter, L);
    if (bad < 0) {
      warn(
        `cholesky: matrix not numerically positive definite; added jitter ${jitter.toExponential(1)} ` +
          `(${(jitter / meanDiag).toExponential(0)} × mean diagonal) to the diagonal`,
      );
      return { L, n, jitter };
    }
  }
  const last = jitter / 10;
  throw new NotPositiveDefiniteError(
    `cholesky: matrix is not positive definite even with jitter ${last.toExponential(1)} ` +
      `(${(last / meanDiag).toExponential(0)} × mean diagonal); failing pivot at row ${bad}`,
    bad,
    last,
  );
}

/** log det A = 2 Σ log Lᵢᵢ from a Cholesky factor (includes any jitter that was added). */
export function choLogDet(f: CholeskyFactor): number {
  let s = 0;
  for (let i = 0; i < f.n; i++) s += Math.log(f.L[i * f.n + i]!);
  return 2 * s;
}
