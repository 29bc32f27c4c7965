/**
 * Encode arrays as `.npy` (format version 1.0, little-endian, C order).
 */
import { ShapeError, ValueError } from '../../errors/index.js';
import { bytesOf, type TypedArray } from '../bytes.js';
import { encodeAs, type NumericInput } from '../cast.js';
import { dtypeOf, type DType } from '../dtype.js';
import { writeBytes } from '../node.js';

const DESCR: Partial<Record<DType, string>> = {
  F16: '<f2',
  F32: '<f4',
  F64: '<f8',
  I8: '|i1',
  I16: '<i2',
  I32: '<i4',
  I64: '<i8',
  U8: '|u1',
  U16: '<u2',
  U32: '<u4',
  U64: '<u8',
  BOOL: '|b1',
};

/** An array to write: row-major values, shape, and optionally the dtype (default: the typed array's; number[] → F64). */
export interface NpyInput {
  shape: readonly number[];
  data: NumericInput;
  dtype?: DType;
}

/**
 * Encode one array as `.npy` bytes that `numpy.load` reads. The header is padded so the
 * data starts on a 64-byte boundary, as NumPy writes it. BF16 has no NumPy dtype and throws
 * {@link ValueError}; a shape that does not match the data throws {@link ShapeError}.
 */
export function encodeNpy(array: NpyInput): Uint8Array {
  const dtype = array.dtype ?? (ArrayBuffer.isView(array.data) ? dtypeOf(array.data as TypedArray) : 'F64');
  const descr = DESCR[dtype];
  if (!descr) throw new ValueError(`.npy has no dtype for ${dtype}`);
  let count = 1;
  for (const d of array.shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new ShapeError(`bad dimension ${d} in shape [${array.shape.join(', ')}]`);
    count *= d;
  }
  if (count !== array.data.length) {
    throw new ShapeError(`shape [${array.shape.join(', ')}] holds ${count} values but data has ${array.data.length}`);
  }
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const data = bytesOf(encodeAs(dtype, array.data, 'array'));
  const out = new Uint8Array(total + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  out.set(data, total);
  return out;
}

/** Encode an array and write it to a `.npy` file (Node only). */
export async function writeNpy(path: string, array: NpyInput): Promise<void> {
  await writeBytes(path, encodeNpy(array));
}
