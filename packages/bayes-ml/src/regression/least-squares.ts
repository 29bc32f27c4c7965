import { ShapeError, ValueError } from '@astro/core';
import { NotPositiveDefiniteError, choInverse, cholesky } from '@astro/core/linalg';
import { broadcastPositive, toDense, toVector, type DenseMatrix, type RowsInput } from '../linalg/index.js';

/** Options of {@link fitLeastSquares}. */
export interface LeastSquaresOptions {
  /**
   * Per-point 1σ uncertainties of y (same units as y), or one value for all points. When given,
   * points are weighted by 1/σ² and the covariance is absolute ((ΦᵀWΦ)⁻¹, as Hogg et al. 2010
   * eq. 5 and `scipy.optimize.curve_fit(absolute_sigma=True)`). When absent, this is ordinary
   * least squares and the covariance is scaled by the residual variance RSS/(n − p).
   */
  yErr?: number | ArrayLike<number>;
  /** Ridge (L2) penalty λ ≥ 0 on every coefficient: minimises χ² + λ‖β‖² (default 0). */
  ridge?: number;
}

/** A fitted linear model y ≈ Φ β. */
export interface LeastSquaresFit {
  /** Coefficients β, one per design column. */
  coef: Float64Array;
  /** p×p covariance of β (row-major). For ridge this is the sandwich A⁻¹(ΦᵀWΦ)A⁻¹, A = ΦᵀWΦ + λI. */
  cov: Float64Array;
  /** Standard errors √diag(cov). */
  stdErr: Float64Array;
  /** Weighted residual sum of squares Σ wᵢ (yᵢ − Φᵢβ)² (χ² when `yErr` is given). */
  chi2: number;
  /** Degrees of freedom n − p. */
  dof: number;
  /** yᵢ − Φᵢβ. */
  residuals: Float64Array;
  /** Predictive mean Φ*β and its standard deviation √diag(Φ* cov Φ*ᵀ) (parameter uncertainty only). */
  predict(design: RowsInput): { mean: Float64Array; std: Float64Array };
}

/** Φ* β and √diag(Φ* C Φ*ᵀ) for a fitted coefficient vector and covariance. */
export function linearPredict(design: RowsInput, coef: Float64Array, cov: Float64Array): { mean: Float64Array; std: Float64Array } {
  const X = toDense(design, 'predict: design');
  const p = coef.length;
  if (X.cols !== p) throw new ShapeError(`predict: design has ${X.cols} columns, the model has ${p} coefficients`);
  const mean = new Float64Array(X.rows);
  const std = new Float64Array(X.rows);
  for (let i = 0; i < X.rows; i++) {
    const r = i * p;
    let m = 0;
    let v = 0;
    for (let a = 0; a < p; a++) {
      m += X.data[r + a]! * coef[a]!;
      let s = 0;
      for (let b = 0; b < p; b++) s += cov[a * p + b]! * X.data[r + b]!;
      v += X.data[r + a]! * s;
    }
    mean[i] = m;
    std[i] = Math.sqrt(Math.max(v, 0));
  }
  return { mean, std };
}

/** ΦᵀWΦ (p×p) and ΦᵀWy for row weights w. */
export function normalEquations(X: DenseMatrix, y: Float64Array, w: Float64Array): { ata: Float64Array; aty: Float64Array } {
  const { rows: n, cols: p, data } = X;
  const ata = new Float64Array(p * p);
  const aty = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const r = i * p;
    const wi = w[i]!;
    for (let a = 0; a < p; a++) {
      const xa = data[r + a]! * wi;
      aty[a] = aty[a]! + xa * y[i]!;
      for (let b = 0; b <= a; b++) ata[a * p + b] = ata[a * p + b]! + xa * data[r + b]!;
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) ata[b * p + a] = ata[a * p + b]!;
  return { ata, aty };
}

/**
 * Linear least squares y ≈ Φβ: ordinary (OLS), weighted by per-point errors (WLS, χ²
 * minimisation) and/or ridge-penalised, with the parameter covariance. Φ is any design
 * matrix, e.g. {@link polynomialBasis} or {@link gaussianBasis}.
 *
 * ```ts
 * const fit = fitLeastSquares(polynomialBasis(x, 1), y, { yErr: sigmaY });
 * const [b, m] = fit.coef; const [sb, sm] = fit.stdErr;   // Hogg et al. 2010, eq. 5
 * ```
 * @throws ShapeError on mismatched lengths or n < p (unpenalised); ValueError on NaN/Inf,
 *   non-positive errors or a rank-deficient design (collinear columns).
 */
export function fitLeastSquares(design: RowsInput, y: ArrayLike<number>, opts: LeastSquaresOptions = {}): LeastSquaresFit {
  const X = toDense(design, 'fitLeastSquares: design');
  const { rows: n, cols: p } = X;
  const ys = toVector(y, 'fitLeastSquares: y', n);
  const lambda = opts.ridge ?? 0;
  if (!(lambda >= 0)) throw new ValueError(`fitLeastSquares: ridge must be ≥ 0, got ${lambda}`);
  if (lambda === 0 && n < p) throw new ShapeError(`fitLeastSquares: ${n} points cannot determine ${p} coefficients`);
  const absolute = opts.yErr !== undefined;
  const w = new Float64Array(n).fill(1);
  if (absolute) {
    const s = broadcastPositive(opts.yErr!, n, 'fitLeastSquares: yErr');
    for (let i = 0; i < n; i++) w[i] = 1 / (s[i]! * s[i]!);
  }
  const { ata, aty } = normalEquations(X, ys, w);
  const A = ata.slice();
  for (let a = 0; a < p; a++) A[a * p + a] = A[a * p + a]! + lambda;
  let Ainv: Float64Array;
  try {
    Ainv = choInverse(cholesky(A, p, { jitter: false }));
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) {
      throw new ValueError(
        `fitLeastSquares: the design matrix is rank-deficient (column ${e.pivot} is a linear combination of earlier ones); ` +
          'remove collinear basis functions or add a ridge penalty',
      );
    }
    throw e;
  }
  const coef = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let b = 0; b < p; b++) s += Ainv[a * p + b]! * aty[b]!;
    coef[a] = s;
  }
  const residuals = new Float64Array(n);
  let chi2 = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let a = 0; a < p; a++) m += X.data[i * p + a]! * coef[a]!;
    residuals[i] = ys[i]! - m;
    chi2 += w[i]! * residuals[i]! * residuals[i]!;
  }
  const dof = n - p;
  let cov: Float64Array;
  if (lambda > 0) {
    // Sandwich A⁻¹ (ΦᵀWΦ) A⁻¹.
    const t = new Float64Array(p * p);
    for (let a = 0; a < p; a++)
      for (let b = 0; b < p; b++) {
        let s = 0;
        for (let c = 0; c < p; c++) s += Ainv[a * p + c]! * ata[c * p + b]!;
        t[a * p + b] = s;
      }
    cov = new Float64Array(p * p);
    for (let a = 0; a < p; a++)
      for (let b = 0; b < p; b++) {
        let s = 0;
        for (let c = 0; c < p; c++) s += t[a * p + c]! * Ainv[c * p + b]!;
        cov[a * p + b] = s;
      }
  } else {
    cov = Ainv;
  }
  if (!absolute) {
    const s2 = dof > 0 ? chi2 / dof : NaN;
    for (let i = 0; i < cov.length; i++) cov[i] = cov[i]! * s2;
  }
  const stdErr = Float64Array.from({ length: p }, (_, a) => Math.sqrt(cov[a * p + a]!));
  return { coef, cov, stdErr, chi2, dof, residuals, predict: (d) => linearPredict(d, coef, cov) };
}
