/**
 * Safe conversion of 64-bit integer data (read as BigInt64Array/BigUint64Array) to numbers.
 */
import { ValueError } from '../errors/index.js';
import type { TypedArray } from './bytes.js';

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Convert any numeric typed array to a `Float64Array`. 64-bit integers must lie within
 * ±(2^53 − 1) (`Number.MAX_SAFE_INTEGER`), where the conversion is exact; otherwise a
 * {@link ValueError} names the first offending index, so no value is silently rounded.
 */
export function toNumberArray(data: TypedArray, what = 'array'): Float64Array {
  if (!(data instanceof BigInt64Array || data instanceof BigUint64Array)) return Float64Array.from(data);
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v > MAX || v < -MAX) {
      throw new ValueError(`${what}[${i}] = ${v} is outside ±2^53 and cannot be converted to a number exactly`);
    }
    out[i] = Number(v);
  }
  return out;
}

/**
 * Convert 64-bit integer data to an `Int32Array` (as tfjs int32 tensors need), with a
 * {@link ValueError} for the first value outside the int32 range.
 */
export function toInt32Array(data: BigInt64Array | BigUint64Array, what = 'array'): Int32Array {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v > 2147483647n || v < -2147483648n) {
      throw new ValueError(`${what}[${i}] = ${v} does not fit in int32`);
    }
    out[i] = Number(v);
  }
  return out;
}
