/**
 * Bounds-checked byte access shared by the parsers. Every read states which format and
 * byte offset it is at, so a truncated or lying file gives a {@link FormatError} that says
 * where, never a RangeError or an allocation sized by an unchecked header.
 */
import { FormatError } from '../errors/index.js';

/** Any typed array a reader may return. */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** True when this host stores multi-byte numbers little-endian (every current platform). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Throw a FormatError unless `[offset, offset + length)` lies inside `bytes`. */
export function need(format: string, bytes: Uint8Array, offset: number, length: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new FormatError(format, `${what}: invalid range (offset ${offset}, length ${length})`);
  }
  if (offset + length > bytes.length) {
    throw new FormatError(
      format,
      `${what} needs bytes ${offset}..${offset + length} but the file ends at byte ${bytes.length} (truncated?)`,
    );
  }
}

/** Product of a shape's dimensions; FormatError unless every dimension is a non-negative safe integer. */
export function shapeSize(format: string, shape: readonly unknown[], where: string): number {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new FormatError(format, `${where}: bad dimension ${JSON.stringify(d)} in shape ${JSON.stringify(shape)}`);
    }
    n *= d;
    if (!Number.isSafeInteger(n)) throw new FormatError(format, `${where}: shape ${JSON.stringify(shape)} is too large`);
  }
  return n;
}

/** Swap the byte order of each `itemSize`-byte element of `bytes`, in place. */
export function swapBytes(bytes: Uint8Array, itemSize: number): void {
  if (itemSize <= 1) return;
  for (let i = 0; i + itemSize <= bytes.length; i += itemSize) {
    for (let a = i, b = i + itemSize - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Copy `length` bytes at `offset` into a fresh, aligned buffer, converted from the file's
 * byte order to the host's for elements of `itemSize` bytes.
 */
export function copyAligned(bytes: Uint8Array, offset: number, length: number, itemSize: number, littleEndian: boolean): ArrayBuffer {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(offset, offset + length));
  if (littleEndian !== HOST_LITTLE_ENDIAN) swapBytes(out, itemSize);
  return out.buffer;
}

/** View a typed array's bytes in the given byte order (copies only when a swap is needed). */
export function bytesOf(data: TypedArray, littleEndian = true): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (littleEndian === HOST_LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return view;
  const copy = view.slice();
  swapBytes(copy, data.BYTES_PER_ELEMENT);
  return copy;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Decode UTF-8 text strictly; FormatError (naming `what`) on invalid bytes. */
export function decodeUtf8(format: string, bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch (e) {
    throw new FormatError(format, `${what} is not valid UTF-8`, { cause: e });
  }
}

/** Decode bytes as ASCII/Latin-1 (never fails). */
export function decodeLatin1(bytes: Uint8Array): string {
  return latin1.decode(bytes);
}
