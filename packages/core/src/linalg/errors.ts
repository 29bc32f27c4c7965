import { AstroError } from '../errors/index.js';

/**
 * A matrix that must be symmetric positive definite (a covariance, a kernel matrix) was not,
 * even after the allowed diagonal jitter. `pivot` is the row where the factorisation failed.
 */
export class NotPositiveDefiniteError extends AstroError {
  /** Row index (0-based) of the first non-positive pivot. */
  readonly pivot: number;
  /** Largest diagonal jitter that was tried (0 when jitter was disabled). */
  readonly jitterTried: number;
  constructor(message: string, pivot: number, jitterTried: number) {
    super('NOT_POSITIVE_DEFINITE', message);
    this.pivot = pivot;
    this.jitterTried = jitterTried;
  }
}

/** A linear system was singular (or numerically so) and has no unique solution. */
export class SingularMatrixError extends AstroError {
  constructor(message: string) {
    super('SINGULAR_MATRIX', message);
  }
}
