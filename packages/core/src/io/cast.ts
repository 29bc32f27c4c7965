/**
 * Convert user arrays to the stored form of a {@link DType}, refusing values that the
 * dtype cannot hold (no silent wrap-around or truncation).
 */
import { ValueError } from '../errors/index.js';
import type { TypedArray } from './bytes.js';
import { viewAs, type DType, DTYPE_SIZE } from './dtype.js';
import { encodeBfloat16, encodeHalf } from './half.js';

const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  I32: [-2147483648, 2147483647],
  I16: [-32768, 32767],
  I8: [-128, 127],
  U32: [0, 4294967295],
  U16: [0, 65535],
  U8: [0, 255],
  BOOL: [0, 1],
};

/** Values as numbers or BigInts, whatever array type holds them. */
export type NumericInput = TypedArray | ArrayLike<number> | ArrayLike<bigint> | ArrayLike<boolean>;

/**
 * Return `values` in the storage representation of `dtype`: the matching typed array, with
 * F16/BF16 as Uint16Array bit patterns (rounded to nearest even). Integers must be exact and
 * in range, 64-bit integers given as numbers must be safe integers; otherwise a
 * {@link ValueError} names the first bad index.
 */
export function encodeAs(dtype: DType, values: NumericInput, what: string): TypedArray {
  const n = values.length;
  if (dtype === 'F16' || dtype === 'BF16') {
    const nums = toNumbers(values, what);
    return dtype === 'F16' ? encodeHalf(nums) : encodeBfloat16(nums);
  }
  if (dtype === 'F32' || dtype === 'F64') {
    if (dtype === 'F32' && values instanceof Float32Array) return values;
    if (dtype === 'F64' && values instanceof Float64Array) return values;
    const out = dtype === 'F32' ? new Float32Array(n) : new Float64Array(n);
    const nums = toNumbers(values, what);
    for (let i = 0; i < n; i++) out[i] = nums[i]!;
    return out;
  }
  if (dtype === 'I64' || dtype === 'U64') {
    if (dtype === 'I64' && values instanceof BigInt64Array) return values;
    if (dtype === 'U64' && values instanceof BigUint64Array) return values;
    const out = dtype === 'I64' ? new BigInt64Array(n) : new BigUint64Array(n);
    const lo = dtype === 'I64' ? -(2n ** 63n) : 0n;
    const hi = dtype === 'I64' ? 2n ** 63n - 1n : 2n ** 64n - 1n;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      let b: bigint;
      if (typeof v === 'bigint') b = v;
      else {
        const x = typeof v === 'boolean' ? Number(v) : (v as number);
        if (!Number.isSafeInteger(x)) throw new ValueError(`${what}[${i}] = ${x} is not a safe integer for ${dtype}`);
        b = BigInt(x);
      }
      if (b < lo || b > hi) throw new ValueError(`${what}[${i}] = ${b} is outside the ${dtype} range`);
      out[i] = b;
    }
    return out;
  }
  const [lo, hi] = INT_RANGE[dtype]!;
  const out = viewAs(dtype, new ArrayBuffer(n * DTYPE_SIZE[dtype])) as Exclude<TypedArray, BigInt64Array | BigUint64Array>;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const x = typeof v === 'bigint' ? Number(v) : typeof v === 'boolean' ? Number(v) : (v as number);
    if (!Number.isInteger(x) || x < lo || x > hi) {
      throw new ValueError(`${what}[${i}] = ${String(v)} is not a valid ${dtype} value (integers ${lo}..${hi})`);
    }
    out[i] = x;
  }
  return out;
}

function toNumbers(values: NumericInput, what: string): ArrayLike<number> {
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const out = new Float64Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]!);
    return out;
  }
  if (ArrayBuffer.isView(values)) return values as ArrayLike<number>;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'bigint') {
      throw new ValueError(`${what}[${i}] is ${typeof v}, not a number`);
    }
    out[i] = Number(v);
  }
  return out;
}
