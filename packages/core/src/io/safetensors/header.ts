/**
 * The safetensors header: an 8-byte little-endian length N, then N bytes of UTF-8 JSON
 * (padded with spaces to a multiple of 8 so the data that follows is 8-byte aligned).
 * Format: https://github.com/huggingface/safetensors#format
 */
import { FormatError } from '../../errors/index.js';
import { decodeUtf8, need, shapeSize } from '../bytes.js';
import { DTYPE_SIZE, isDType, type DType } from '../dtype.js';

const F = 'safetensors';
/** Largest header accepted (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

/** Where one tensor lives in a safetensors file, from its header. */
export interface SafetensorsEntryInfo {
  dtype: DType;
  shape: number[];
  /** Byte range `[begin, end)` relative to the start of the data section. */
  dataOffsets: [number, number];
}

/** The parsed, validated header of a safetensors file. */
export interface SafetensorsHeader {
  /** String → string metadata from `__metadata__` (empty when absent). */
  metadata: Record<string, string>;
  /** Tensors in file order (by data offset). */
  entries: Map<string, SafetensorsEntryInfo>;
  /** Absolute byte offset of the data section (8 + header length). */
  dataStart: number;
}

/**
 * Parse and validate a safetensors header without decoding any tensor. Checks that the
 * header length fits the file, that every dtype is known, that each byte range matches
 * its shape × dtype size and lies in the file, and that ranges cover the data section with
 * no overlap or hole. Throws {@link FormatError} naming the tensor and byte offsets.
 */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  need(F, bytes, 0, 8, 'header length (8 bytes)');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (n > MAX_HEADER_BYTES) throw new FormatError(F, `header length ${n} at byte 0 exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (n > bytes.length - 8) {
    throw new FormatError(F, `header length ${n} at byte 0 claims more bytes than the ${bytes.length - 8} after it (truncated?)`);
  }
  if (n < 2 || bytes[8] !== 0x7b) throw new FormatError(F, `header at byte 8 does not start with '{'`);
  const text = decodeUtf8(F, bytes.subarray(8, 8 + n), 'header JSON at byte 8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FormatError(F, `header JSON at bytes 8..${8 + n} does not parse: ${(e as Error).message}`, { cause: e });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FormatError(F, 'header JSON is not an object');
  const dataStart = 8 + n;
  const dataLen = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const list: [string, SafetensorsEntryInfo][] = [];
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new FormatError(F, '__metadata__ is not an object');
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') throw new FormatError(F, `__metadata__.${k} is ${typeof v}, not a string`);
        Object.defineProperty(metadata, k, { value: v, enumerable: true, writable: true, configurable: true });
      }
      continue;
    }
    list.push([name, entryInfo(name, raw, dataLen)]);
  }
  list.sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0] || a[1].dataOffsets[1] - b[1].dataOffsets[1]);
  let at = 0;
  for (const [name, info] of list) {
    const [b, e] = info.dataOffsets;
    if (b !== at) {
      throw new FormatError(
        F,
        `tensor '${name}' starts at data byte ${b} (file byte ${dataStart + b}) but the previous tensor ends at ${at}: ${b < at ? 'overlap' : 'hole'}`,
      );
    }
    at = e;
  }
  if (at !== dataLen) {
    throw new FormatError(F, `tensors cover ${at} data bytes but the file has ${dataLen} after the header (byte ${dataStart})`);
  }
  return { metadata, entries: new Map(list), dataStart };
}

function entryInfo(name: string, raw: unknown, dataLen: number): SafetensorsEntryInfo {
  if (typeof raw !== 'object' || raw === null) throw new FormatError(F, `header entry '${name}' is not an object`);
  const { dtype, shape, data_offsets: off } = raw as Record<string, unknown>;
  if (!isDType(dtype)) throw new FormatError(F, `tensor '${name}' has unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape)) throw new FormatError(F, `tensor '${name}' has no shape array`);
  const count = shapeSize(F, shape, `tensor '${name}'`);
  if (!Array.isArray(off) || off.length !== 2 || !off.every((x) => Number.isSafeInteger(x) && (x as number) >= 0)) {
    throw new FormatError(F, `tensor '${name}' has bad data_offsets ${JSON.stringify(off)}`);
  }
  const [b, e] = off as [number, number];
  if (e < b) throw new FormatError(F, `tensor '${name}' has data_offsets [${b}, ${e}] with end before begin`);
  if (e > dataLen) {
    throw new FormatError(F, `tensor '${name}' claims data bytes ${b}..${e} but only ${dataLen} exist after the header`);
  }
  const expected = count * DTYPE_SIZE[dtype];
  if (e - b !== expected) {
    throw new FormatError(F, `tensor '${name}' spans ${e - b} bytes but ${dtype}${JSON.stringify(shape)} needs ${expected}`);
  }
  return { dtype, shape: shape as number[], dataOffsets: [b, e] };
}
