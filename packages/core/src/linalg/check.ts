import { ShapeError, ValueError } from '../errors/index.js';

/** Throw a {@link ShapeError} unless `a` holds exactly `rows × cols` numbers. */
export function checkSize(a: ArrayLike<number>, rows: number, cols: number, what: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeError(`${what}: invalid dimensions ${rows}×${cols}`);
  }
  if (a.length !== rows * cols) {
    throw new ShapeError(`${what}: expected ${rows}×${cols} = ${rows * cols} values, got ${a.length}`);
  }
}

/** Throw a {@link ValueError} naming the row and column of the first NaN/±Inf in a row-major matrix. */
export function checkFiniteMatrix(a: ArrayLike<number>, cols: number, what: string): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!Number.isFinite(v)) {
      const c = Math.max(cols, 1);
      throw new ValueError(`${what} contains ${v} at row ${Math.floor(i / c)}, column ${i % c}`);
    }
  }
}
