import { ShapeError, assertFinite } from '@astro/core';

/** n input points of dimension d, row-major float64 (`data[i * d + k]`). */
export interface Points {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
}

/** Input accepted for GP inputs: rows (`number[][]`), a 1-D list of scalars, or {@link Points}. */
export type PointsLike = Points | ReadonlyArray<ArrayLike<number>> | ArrayLike<number>;

/** Normalise GP inputs to {@link Points}; a flat array is n points in 1-D. Rejects NaN/Inf and ragged rows. */
export function toPoints(x: PointsLike, what = 'X'): Points {
  if (isPoints(x)) {
    if (x.data.length !== x.n * x.d) throw new ShapeError(`${what}: data has ${x.data.length} values, expected n·d = ${x.n * x.d}`);
    assertFinite(x.data, what);
    return x;
  }
  const first = (x as ArrayLike<unknown>)[0];
  if (x.length === 0) throw new ShapeError(`${what} is empty`);
  if (typeof first === 'number') {
    const data = Float64Array.from(x as ArrayLike<number>);
    assertFinite(data, what);
    return { data, n: data.length, d: 1 };
  }
  const rows = x as ReadonlyArray<ArrayLike<number>>;
  const d = rows[0]!.length;
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    if (r.length !== d) throw new ShapeError(`${what}: row ${i} has ${r.length} values, row 0 has ${d}`);
    for (let k = 0; k < d; k++) data[i * d + k] = r[k]!;
  });
  assertFinite(data, what);
  return { data, n: rows.length, d };
}

function isPoints(x: PointsLike): x is Points {
  return typeof (x as Points).n === 'number' && (x as Points).data instanceof Float64Array && typeof (x as Points).d === 'number';
}

/**
 * Squared Euclidean distances between the rows of a (n×d) and b (m×d), n×m row-major. When `b` is
 * `a` itself only the lower triangle is computed and then mirrored.
 */
export function squaredDistances(a: Points, b: Points): Float64Array {
  if (a.d !== b.d) throw new ShapeError(`points have dimension ${a.d} and ${b.d}`);
  const { n, d } = a;
  const m = b.n;
  const out = new Float64Array(n * m);
  const self = a === b;
  for (let i = 0; i < n; i++) {
    const jEnd = self ? i : m;
    for (let j = 0; j < jEnd; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = a.data[i * d + k]! - b.data[j * d + k]!;
        s += t * t;
      }
      out[i * m + j] = s;
    }
  }
  if (self) mirrorLower(out, n);
  return out;
}

/** Copy the strict lower triangle of a row-major n×n matrix onto its upper triangle (in 32×32 tiles). */
export function mirrorLower(a: Float64Array, n: number): void {
  const T = 32;
  for (let I = 0; I < n; I += T) {
    for (let J = 0; J <= I; J += T) {
      const iEnd = Math.min(I + T, n);
      for (let i = I; i < iEnd; i++) {
        const jEnd = Math.min(J + T, i);
        for (let j = J; j < jEnd; j++) a[j * n + i] = a[i * n + j]!;
      }
    }
  }
}
