/**
 * Decode safetensors bytes into typed arrays.
 */
import { copyAligned } from '../bytes.js';
import { DTYPE_SIZE, viewAs, type DecodedArray, type DType } from '../dtype.js';
import { decodeBfloat16, decodeHalf } from '../half.js';
import { readBytes } from '../node.js';
import { readSafetensorsHeader } from './header.js';

/** One decoded tensor. `data` is row-major (C order); see {@link DecodedArray} for its type per dtype. */
export interface SafetensorsTensor<D extends DType = DType> {
  /** Stored dtype (F16/BF16 data is widened to Float32Array exactly). */
  dtype: D;
  shape: number[];
  data: DecodedArray[D];
}

/** A decoded safetensors file. */
export interface SafetensorsFile {
  /** Tensors by name, in file order. */
  tensors: Record<string, SafetensorsTensor>;
  /** `__metadata__` strings (empty object when absent). */
  metadata: Record<string, string>;
}

/**
 * Parse a safetensors file from bytes (browser-safe). Every header size and offset is
 * validated before anything is allocated; a corrupt, truncated or inconsistent file throws
 * {@link FormatError}. Pass `names` to decode only some tensors.
 */
export function parseSafetensors(bytes: Uint8Array, opts: { names?: readonly string[] } = {}): SafetensorsFile {
  const header = readSafetensorsHeader(bytes);
  const want = opts.names ? new Set(opts.names) : undefined;
  const entries: [string, SafetensorsTensor][] = [];
  for (const [name, info] of header.entries) {
    if (want && !want.has(name)) continue;
    const [b, e] = info.dataOffsets;
    const raw = viewAs(info.dtype, copyAligned(bytes, header.dataStart + b, e - b, DTYPE_SIZE[info.dtype], true));
    const data = info.dtype === 'F16' ? decodeHalf(raw as Uint16Array) : info.dtype === 'BF16' ? decodeBfloat16(raw as Uint16Array) : raw;
    entries.push([name, { dtype: info.dtype, shape: info.shape, data } as SafetensorsTensor]);
  }
  return { tensors: Object.fromEntries(entries), metadata: header.metadata };
}

/** Read and parse a `.safetensors` file (Node only). */
export async function readSafetensors(path: string, opts: { names?: readonly string[] } = {}): Promise<SafetensorsFile> {
  return parseSafetensors(await readBytes(path), opts);
}
