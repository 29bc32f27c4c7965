/**
 * Encode typed arrays as a safetensors file.
 */
import { ShapeError, ValueError } from '../../errors/index.js';
import { bytesOf, type TypedArray } from '../bytes.js';
import { encodeAs, type NumericInput } from '../cast.js';
import { DTYPE_SIZE, dtypeOf, isDType, type DType } from '../dtype.js';
import { writeBytes } from '../node.js';

/** A tensor to write: row-major values, its shape, and optionally the dtype to store it as. */
export interface SafetensorsInput {
  shape: readonly number[];
  data: NumericInput;
  /** Stored dtype; defaults to the typed array's own (number[] → F32). F16/BF16 round to nearest even. */
  dtype?: DType;
}

/** Options for {@link encodeSafetensors}. */
export interface SafetensorsWriteOptions {
  /** String → string metadata written as `__metadata__`. */
  metadata?: Record<string, string>;
}

/**
 * Encode tensors as safetensors bytes: the JSON header (with `__metadata__`), padded with
 * spaces to a multiple of 8 bytes, then the little-endian data, tensors ordered by dtype
 * size (largest first) then name, as the reference writer does, so every tensor is aligned.
 * Throws {@link ShapeError} when a shape does not match its data length and
 * {@link ValueError} for values the dtype cannot hold.
 */
export function encodeSafetensors(tensors: Record<string, SafetensorsInput>, opts: SafetensorsWriteOptions = {}): Uint8Array {
  const items = Object.entries(tensors).map(([name, t]) => {
    if (name === '__metadata__') throw new ValueError(`'__metadata__' is reserved and cannot name a tensor`);
    const dtype = t.dtype ?? (ArrayBuffer.isView(t.data) ? dtypeOf(t.data as TypedArray) : 'F32');
    if (!isDType(dtype)) throw new ValueError(`tensor '${name}': unknown dtype ${JSON.stringify(dtype)}`);
    let count = 1;
    for (const d of t.shape) {
      if (!Number.isSafeInteger(d) || d < 0) throw new ShapeError(`tensor '${name}': bad dimension ${d} in shape [${t.shape.join(', ')}]`);
      count *= d;
    }
    if (count !== t.data.length) {
      throw new ShapeError(`tensor '${name}': shape [${t.shape.join(', ')}] holds ${count} values but data has ${t.data.length}`);
    }
    return { name, dtype, shape: [...t.shape], bytes: bytesOf(encodeAs(dtype, t.data, `tensor '${name}'`)) };
  });
  items.sort((a, b) => DTYPE_SIZE[b.dtype] - DTYPE_SIZE[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (opts.metadata && Object.keys(opts.metadata).length > 0) {
    for (const [k, v] of Object.entries(opts.metadata)) {
      if (typeof v !== 'string') throw new ValueError(`metadata '${k}' must be a string, got ${typeof v}`);
    }
    header['__metadata__'] = opts.metadata;
  }
  let offset = 0;
  for (const it of items) {
    Object.defineProperty(header, it.name, {
      value: { dtype: it.dtype, shape: it.shape, data_offsets: [offset, offset + it.bytes.length] },
      enumerable: true,
    });
    offset += it.bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, padded % 2 ** 32, true);
  dv.setUint32(4, Math.floor(padded / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const it of items) {
    out.set(it.bytes, at);
    at += it.bytes.length;
  }
  return out;
}

/** Encode tensors and write them to a `.safetensors` file (Node only). */
export async function writeSafetensors(
  path: string,
  tensors: Record<string, SafetensorsInput>,
  opts: SafetensorsWriteOptions = {},
): Promise<void> {
  await writeBytes(path, encodeSafetensors(tensors, opts));
}
