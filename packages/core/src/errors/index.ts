/**
 * Typed errors shared by every package. Each carries a machine-readable `code`
 * and says what was wrong and where, so callers can branch on the kind of failure.
 */

/** Base class of every error thrown by `@astro/*` packages. */
export class AstroError extends Error {
  /** Stable machine-readable code, e.g. `'SHAPE_MISMATCH'`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A tensor or array had the wrong shape. */
export class ShapeError extends AstroError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}

/** An input contained NaN or ±Inf, or a value outside its allowed domain. */
export class ValueError extends AstroError {
  constructor(message: string) {
    super('INVALID_VALUE', message);
  }
}

/** A requested backend could not be initialised (strict mode) or no backend worked. */
export class BackendError extends AstroError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', message, options);
  }
}

/** A file was truncated, corrupt, claimed more bytes than exist, or used an unsupported feature. */
export class FormatError extends AstroError {
  /** Format being parsed, e.g. `'safetensors'`, `'npy'`, `'fits'`. */
  readonly format: string;
  constructor(format: string, message: string, options?: { cause?: unknown }) {
    super('BAD_FORMAT', `${format}: ${message}`, options);
    this.format = format;
  }
}

/** A saved model's `kind` or `schemaVersion` did not match what the loader expects. */
export class SchemaError extends AstroError {
  constructor(message: string) {
    super('SCHEMA_MISMATCH', message);
  }
}

/** Work was cancelled through an `AbortSignal`. */
export class AbortError extends AstroError {
  constructor(message = 'operation aborted') {
    super('ABORTED', message);
  }
}

/** Throw a {@link ValueError} if `values` holds a NaN or ±Inf; `what` names the input. */
export function assertFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new ValueError(`${what} contains ${v} at flat index ${i}`);
    }
  }
}
