/**
 * `@astro/core/io`: readers and writers for the file formats astronomy ML meets —
 * safetensors, NumPy `.npy`/`.npz`, FITS, Arrow IPC and CSV/whitespace text.
 *
 * Every parser works on a `Uint8Array` (browser-safe) and validates sizes before
 * allocating; bad input throws `FormatError` naming the byte offset. The `read*`/`write*`
 * helpers add Node file access.
 * @packageDocumentation
 */
export type { TypedArray } from './bytes.js';
export type { DType, DecodedArray } from './dtype.js';
export { DTYPE_SIZE } from './dtype.js';
export {
  halfToFloat,
  floatToHalf,
  bfloat16ToFloat,
  floatToBfloat16,
  decodeHalf,
  encodeHalf,
  decodeBfloat16,
  encodeBfloat16,
} from './half.js';
export { toNumberArray, toInt32Array } from './int64.js';
export { readBytes, writeBytes } from './node.js';
export * from './safetensors/index.js';
export * from './npy/index.js';
export { gunzip, isGzip, crc32, crc32Portable } from './compress.js';
export * from './fits/index.js';
export * from './text/index.js';
export * from './arrow/index.js';
