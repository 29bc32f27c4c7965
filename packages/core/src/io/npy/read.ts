/**
 * Decode `.npy` arrays (any common dtype, either byte order, C or Fortran order).
 */
import { FormatError } from '../../errors/index.js';
import { copyAligned, need, type TypedArray } from '../bytes.js';
import { DTYPE_SIZE, viewAs, type DecodedArray, type DType } from '../dtype.js';
import { decodeHalf } from '../half.js';
import { readBytes } from '../node.js';
import { readNpyHeader } from './header.js';

/** A decoded NumPy array. `data` is always row-major (C order), whatever the file's order. */
export interface NpyArray<D extends DType = DType> {
  dtype: D;
  shape: number[];
  data: DecodedArray[D];
}

/**
 * Parse a `.npy` file from bytes (browser-safe). Big-endian data is byte-swapped, Fortran-order
 * data is transposed to C order, float16 is widened to Float32Array exactly. Trailing bytes
 * after the data are refused (they indicate a corrupt file). Throws {@link FormatError}.
 */
export function parseNpy(bytes: Uint8Array): NpyArray {
  const h = readNpyHeader(bytes);
  const item = DTYPE_SIZE[h.dtype];
  const nbytes = h.size * item;
  need('npy', bytes, h.dataStart, nbytes, `data of ${h.descr}[${h.shape.join(', ')}] at byte ${h.dataStart}`);
  if (bytes.length !== h.dataStart + nbytes) {
    throw new FormatError(
      'npy',
      `file has ${bytes.length - h.dataStart - nbytes} bytes after the data (ends at byte ${h.dataStart + nbytes})`,
    );
  }
  let data: TypedArray = viewAs(h.dtype, copyAligned(bytes, h.dataStart, nbytes, item, !h.bigEndian));
  if (h.fortranOrder && h.shape.length > 1) data = fortranToC(data, h.shape);
  if (h.dtype === 'F16') data = decodeHalf(data as Uint16Array);
  return { dtype: h.dtype, shape: h.shape, data } as NpyArray;
}

/** Transpose column-major data of `shape` into row-major order (a new array of the same type). */
export function fortranToC<T extends TypedArray>(src: T, shape: readonly number[]): T {
  const n = src.length;
  const out = new (src.constructor as new (n: number) => T)(n);
  const nd = shape.length;
  // Strides of the Fortran layout, walked in C order with an odometer.
  const fStride = new Array<number>(nd);
  let s = 1;
  for (let d = 0; d < nd; d++) {
    fStride[d] = s;
    s *= shape[d]!;
  }
  const idx = new Array<number>(nd).fill(0);
  let f = 0;
  for (let c = 0; c < n; c++) {
    (out as unknown as number[])[c] = (src as unknown as number[])[f]!;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      f += fStride[d]!;
      if (idx[d]! < shape[d]!) break;
      f -= fStride[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}

/** Read and parse a `.npy` file (Node only). */
export async function readNpy(path: string): Promise<NpyArray> {
  return parseNpy(await readBytes(path));
}
