/**
 * Element types shared by the tensor file formats (safetensors names; npy maps onto them).
 */
import type { TypedArray } from './bytes.js';

/** Element type of a stored tensor, in safetensors' spelling. */
export type DType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** Bytes per element of each {@link DType}. */
export const DTYPE_SIZE: Readonly<Record<DType, number>> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
};

/** True when `s` names a supported {@link DType}. */
export function isDType(s: unknown): s is DType {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_SIZE, s);
}

/**
 * The typed array a decoded tensor of each dtype is returned as. F16 and BF16 are widened
 * to Float32Array (exactly); BOOL is a Uint8Array of 0/1; I64/U64 are BigInt arrays.
 */
export interface DecodedArray {
  F64: Float64Array;
  F32: Float32Array;
  F16: Float32Array;
  BF16: Float32Array;
  I64: BigInt64Array;
  I32: Int32Array;
  I16: Int16Array;
  I8: Int8Array;
  U64: BigUint64Array;
  U32: Uint32Array;
  U16: Uint16Array;
  U8: Uint8Array;
  BOOL: Uint8Array;
}

/** View raw, host-order, aligned bytes as the typed array that stores `dtype` (F16/BF16 as bit patterns). */
export function viewAs(dtype: DType, buf: ArrayBuffer): TypedArray {
  switch (dtype) {
    case 'F64':
      return new Float64Array(buf);
    case 'F32':
      return new Float32Array(buf);
    case 'F16':
    case 'BF16':
    case 'U16':
      return new Uint16Array(buf);
    case 'I64':
      return new BigInt64Array(buf);
    case 'I32':
      return new Int32Array(buf);
    case 'I16':
      return new Int16Array(buf);
    case 'I8':
      return new Int8Array(buf);
    case 'U64':
      return new BigUint64Array(buf);
    case 'U32':
      return new Uint32Array(buf);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(buf);
  }
}

/** The natural {@link DType} of a typed array (Uint8Array → U8; use BOOL explicitly). */
export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Float64Array) return 'F64';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof BigInt64Array) return 'I64';
  if (data instanceof Int16Array) return 'I16';
  if (data instanceof Int8Array) return 'I8';
  if (data instanceof Uint8Array) return 'U8';
  if (data instanceof Uint16Array) return 'U16';
  if (data instanceof Uint32Array) return 'U32';
  return 'U64';
}
