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

/**
 * A command line was wrong: an unknown option, a missing or malformed value, a missing argument.
 * CLIs exit with status 2 and print their usage after the message.
 */
export class UsageError extends AstroError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** A file or folder could not be used: missing, a directory where a file was expected, empty, unreadable or unwritable. */
export class FileError extends AstroError {
  /** The path that was wrong. */
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('FILE', `${path}: ${message}`, options);
    this.path = path;
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
