/**
 * Bounded gzip and raw-deflate decoding on top of fflate. Sizes claimed by a gzip trailer
 * or a zip directory are checked against the deflate format's maximum ratio (1032:1)
 * before any buffer is allocated, and the output's length and CRC-32 are verified.
 */
import { inflateSync } from 'fflate';
import { FormatError } from '../errors/index.js';

type Zlib = typeof import('node:zlib');
let zlibModule: Zlib | null | undefined;

/** Node's native zlib when running in Node (several times faster than fflate), else `null`. */
function nodeZlib(): Zlib | null {
  if (zlibModule === undefined) {
    const p = typeof process !== 'undefined' ? process : undefined;
    zlibModule = p?.getBuiltinModule ? (p.getBuiltinModule('node:zlib') as Zlib) : null;
  }
  return zlibModule;
}

function inflateWith(data: Uint8Array, size: number): Uint8Array {
  const z = nodeZlib();
  if (!z) return inflateSync(data, { out: new Uint8Array(size) });
  // maxOutputLength bounds memory by the size the header declared (plus one byte to detect excess).
  const buf = z.inflateRawSync(data, { maxOutputLength: Math.max(1, size + 1), finishFlush: z.constants.Z_SYNC_FLUSH });
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Deflate cannot expand data by more than this factor (RFC 1951: 258-byte matches in ~2 bits). */
const MAX_RATIO = 1032;

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as gzip and zip use) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  const z = nodeZlib() as (Zlib & { crc32?: (data: Uint8Array) => number }) | null;
  if (z?.crc32) return z.crc32(bytes) >>> 0;
  return crc32Portable(bytes);
}

/** CRC-32 in plain JavaScript (the path browsers take; {@link crc32} uses Node's zlib when it can). */
export function crc32Portable(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Inflate a raw deflate stream whose decoded size is `size` bytes and CRC-32 is `crc`.
 * `where` names the stream in error messages.
 */
export function inflateRaw(format: string, data: Uint8Array, size: number, crc: number, where: string): Uint8Array {
  if (size > data.length * MAX_RATIO + 64) {
    throw new FormatError(format, `${where} claims ${size} decoded bytes from ${data.length} compressed, beyond deflate's maximum ratio`);
  }
  let out: Uint8Array;
  try {
    out = inflateWith(data, size);
  } catch (e) {
    throw new FormatError(format, `${where}: corrupt deflate data (${(e as Error).message})`, { cause: e });
  }
  if (out.length !== size) throw new FormatError(format, `${where}: decoded ${out.length} bytes but the header says ${size}`);
  if (crc32(out) !== crc) throw new FormatError(format, `${where}: CRC-32 mismatch (corrupt data)`);
  return out;
}

/** True when `bytes` starts with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decode a single-member gzip file (RFC 1952), with its header fields, size and CRC
 * checked. Errors are {@link FormatError}s for `format` naming the byte offset.
 */
export function gunzip(format: string, bytes: Uint8Array): Uint8Array {
  if (bytes.length < 18) throw new FormatError(format, `gzip stream of ${bytes.length} bytes is shorter than its 18-byte minimum`);
  if (!isGzip(bytes)) throw new FormatError(format, 'not a gzip stream (bad magic at byte 0)');
  if (bytes[2] !== 8) throw new FormatError(format, `gzip compression method ${bytes[2]} at byte 2 is not deflate (8)`);
  const flg = bytes[3]!;
  let p = 10;
  const end = bytes.length - 8;
  if (flg & 4) {
    if (p + 2 > end) throw new FormatError(format, `gzip extra field at byte ${p} runs past the end`);
    p += 2 + (bytes[p]! | (bytes[p + 1]! << 8));
  }
  for (const bit of [8, 16]) {
    if (flg & bit) {
      while (p < end && bytes[p] !== 0) p++;
      p++;
    }
  }
  if (flg & 2) p += 2;
  if (p > end) throw new FormatError(format, `gzip header runs past the end of the data (byte ${p})`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const crc = dv.getUint32(end, true);
  const size = dv.getUint32(end + 4, true);
  return inflateRaw(format, bytes.subarray(p, end), size, crc, `gzip data at byte ${p}`);
}
