/**
 * Bridge between safetensors files and tfjs tensors.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors/index.js';
import type { TypedArray } from '../bytes.js';
import type { DType } from '../dtype.js';
import { toInt32Array } from '../int64.js';
import type { SafetensorsFile } from './read.js';
import { encodeSafetensors, type SafetensorsInput, type SafetensorsWriteOptions } from './write.js';

/**
 * Turn decoded safetensors into tfjs tensors (the caller owns and disposes them).
 * Floats become float32 (F64 is rounded to float32, since tfjs has no float64);
 * integers become int32 (64-bit and U32 values outside int32 throw {@link ValueError});
 * BOOL becomes bool.
 */
export function safetensorsToTensors(file: SafetensorsFile): Record<string, tf.Tensor> {
  const out: [string, tf.Tensor][] = [];
  try {
    for (const [name, t] of Object.entries(file.tensors)) {
      out.push([name, toTensor(name, t.dtype, t.shape, t.data)]);
    }
  } catch (e) {
    for (const [, t] of out) t.dispose();
    throw e;
  }
  return Object.fromEntries(out);
}

function toTensor(name: string, dtype: DType, shape: number[], data: TypedArray): tf.Tensor {
  switch (dtype) {
    case 'F64':
    case 'F32':
    case 'F16':
    case 'BF16':
      return tf.tensor(data instanceof Float32Array ? data : Float32Array.from(data as Float64Array), shape, 'float32');
    case 'BOOL':
      return tf.tensor(data as Uint8Array, shape, 'bool');
    case 'I64':
    case 'U64':
      return tf.tensor(toInt32Array(data as BigInt64Array, `tensor '${name}'`), shape, 'int32');
    case 'U32': {
      const u = data as Uint32Array;
      for (let i = 0; i < u.length; i++) {
        if (u[i]! > 2147483647) throw new ValueError(`tensor '${name}'[${i}] = ${u[i]} does not fit in int32`);
      }
      return tf.tensor(Int32Array.from(u), shape, 'int32');
    }
    default:
      return tf.tensor(Int32Array.from(data as Int32Array), shape, 'int32');
  }
}

/** Options for {@link encodeTensors}. */
export interface EncodeTensorsOptions extends SafetensorsWriteOptions {
  /** Store float32 tensors as this dtype (default F32). */
  float?: 'F32' | 'F16' | 'BF16' | 'F64';
}

/**
 * Encode a mix of tfjs tensors and plain {@link SafetensorsInput}s as safetensors bytes.
 * float32 → F32 (or `opts.float`), int32 → I32, bool → BOOL. Tensors are read, not disposed.
 */
export async function encodeTensors(
  tensors: Record<string, tf.Tensor | SafetensorsInput>,
  opts: EncodeTensorsOptions = {},
): Promise<Uint8Array> {
  const plain: Record<string, SafetensorsInput> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (t instanceof tf.Tensor) {
      if (t.dtype === 'string' || t.dtype === 'complex64') throw new ValueError(`tensor '${name}': cannot store dtype ${t.dtype}`);
      const data = (await t.data()) as Float32Array | Int32Array | Uint8Array;
      const dtype: DType = t.dtype === 'float32' ? (opts.float ?? 'F32') : t.dtype === 'int32' ? 'I32' : 'BOOL';
      Object.defineProperty(plain, name, { value: { shape: t.shape, data, dtype }, enumerable: true });
    } else {
      Object.defineProperty(plain, name, { value: t, enumerable: true });
    }
  }
  return encodeSafetensors(plain, opts);
}
