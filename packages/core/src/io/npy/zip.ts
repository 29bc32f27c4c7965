/**
 * A minimal, bounds-checked zip reader (stored and deflated members, zip64 sizes), enough
 * for `.npz`. It walks the central directory, so every size and offset is checked against
 * the file before use.
 */
import { FormatError } from '../../errors/index.js';
import { decodeUtf8, need } from '../bytes.js';
import { crc32, inflateRaw } from '../compress.js';

const F = 'npz';

/** One member of a zip archive. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** Offset of the member's local header. */
  localOffset: number;
}

/** List the members of a zip archive from its central directory. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: 22 bytes + comment (≤ 65535), searched backwards.
  let eocd = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 65535); p--) {
    if (dv.getUint32(p, true) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw new FormatError(F, 'no zip end-of-central-directory record (not a zip file, or truncated)');
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    // Zip64 end-of-central-directory locator sits just before the EOCD.
    const loc = eocd - 20;
    if (loc < 0 || dv.getUint32(loc, true) !== 0x07064b50) throw new FormatError(F, `zip64 locator missing before byte ${eocd}`);
    const rec = u64(dv, loc + 8, 'zip64 record offset');
    need(F, bytes, rec, 56, 'zip64 end-of-central-directory record');
    if (dv.getUint32(rec, true) !== 0x06064b50) throw new FormatError(F, `bad zip64 record signature at byte ${rec}`);
    count = u64(dv, rec + 32, 'entry count');
    cdSize = u64(dv, rec + 40, 'central directory size');
    cdOffset = u64(dv, rec + 48, 'central directory offset');
  }
  need(F, bytes, cdOffset, cdSize, `central directory (${cdSize} bytes at byte ${cdOffset})`);
  if (count > cdSize / 46) throw new FormatError(F, `central directory claims ${count} entries in ${cdSize} bytes`);
  const out: ZipEntry[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    need(F, bytes, p, 46, `central directory entry ${k}`);
    if (dv.getUint32(p, true) !== 0x02014b50) throw new FormatError(F, `bad central directory signature at byte ${p}`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localOffset = dv.getUint32(p + 42, true);
    need(F, bytes, p + 46, nameLen + extraLen + commentLen, `central directory entry ${k} name/extra`);
    if (flags & 1) throw new FormatError(F, `member ${k} at byte ${p} is encrypted`);
    const name = decodeUtf8(F, bytes.subarray(p + 46, p + 46 + nameLen), `member name at byte ${p + 46}`);
    // Zip64 extended information: only the fields that are 0xFFFFFFFF are present, in this order.
    let e = p + 46 + nameLen;
    const eEnd = e + extraLen;
    while (e + 4 <= eEnd) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (e + 4 + len > eEnd) throw new FormatError(F, `extra field at byte ${e} runs past its entry`);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number => {
          if (q + 8 > e + 4 + len) throw new FormatError(F, `zip64 extra field at byte ${e} is too short`);
          const v = u64(dv, q, 'zip64 size');
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      e += 4 + len;
    }
    out.push({ name, method, compressedSize, size, crc, localOffset });
    p = eEnd + commentLen;
  }
  return out;
}

/** The decoded bytes of one zip member (stored or deflated), with size and CRC-32 verified. */
export function zipRead(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = entry.localOffset;
  need(F, bytes, p, 30, `local header of '${entry.name}'`);
  if (dv.getUint32(p, true) !== 0x04034b50) throw new FormatError(F, `bad local header signature at byte ${p} ('${entry.name}')`);
  const start = p + 30 + dv.getUint16(p + 26, true) + dv.getUint16(p + 28, true);
  need(F, bytes, start, entry.compressedSize, `data of '${entry.name}' (${entry.compressedSize} bytes at byte ${start})`);
  const raw = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (entry.size !== entry.compressedSize)
      throw new FormatError(F, `stored member '${entry.name}' has size ${entry.size} ≠ ${entry.compressedSize}`);
    if (crc32(raw) !== entry.crc) throw new FormatError(F, `member '${entry.name}' at byte ${start}: CRC-32 mismatch (corrupt data)`);
    return raw;
  }
  if (entry.method === 8) return inflateRaw(F, raw, entry.size, entry.crc, `member '${entry.name}' at byte ${start}`);
  throw new FormatError(F, `member '${entry.name}' uses compression method ${entry.method} (only stored and deflate are supported)`);
}

function u64(dv: DataView, at: number, what: string): number {
  const lo = dv.getUint32(at, true);
  const hi = dv.getUint32(at + 4, true);
  const v = hi * 2 ** 32 + lo;
  if (!Number.isSafeInteger(v)) throw new FormatError(F, `${what} at byte ${at} is too large`);
  return v;
}
