/**
 * FITS image data (FITS Standard 4.0, §5): big-endian integers or IEEE floats by BITPIX,
 * physical value = BZERO + BSCALE × stored, undefined integer pixels flagged by BLANK.
 */
import { FormatError } from '../../errors/index.js';
import { copyAligned, type TypedArray } from '../bytes.js';
import type { FitsHduLayout } from './hdu.js';

/** Decoded image pixels. */
export interface FitsImage {
  /** Axis lengths, slowest first (`[NAXISn, …, NAXIS1]`), so `data` is row-major like NumPy. */
  shape: number[];
  /** Stored BITPIX (8, 16, 32, 64, −32, −64). */
  bitpix: number;
  /**
   * Physical values. Without scaling: the stored type (Uint8Array, Int16Array, Int32Array,
   * BigInt64Array, Float32Array, Float64Array). The unsigned conventions (BITPIX 16/32/64
   * with BZERO 2^15/2^31/2^63, BITPIX 8 with BZERO −128) give Uint16Array, Uint32Array,
   * BigUint64Array, Int8Array. Any other BSCALE/BZERO, or BLANK pixels, give a Float64Array
   * with NaN where the pixel is undefined.
   */
  data: TypedArray;
}

/** Read the stored big-endian values of `count` elements of `bitpix` at `offset`, as host-order typed data. */
export function readBigEndian(bytes: Uint8Array, offset: number, count: number, bitpix: number): TypedArray {
  const size = Math.abs(bitpix) / 8;
  const buf = copyAligned(bytes, offset, count * size, size, false);
  switch (bitpix) {
    case 8:
      return new Uint8Array(buf);
    case 16:
      return new Int16Array(buf);
    case 32:
      return new Int32Array(buf);
    case 64:
      return new BigInt64Array(buf);
    case -32:
      return new Float32Array(buf);
    case -64:
      return new Float64Array(buf);
    default:
      throw new FormatError('fits', `invalid BITPIX ${bitpix}`);
  }
}

/** Apply BSCALE/BZERO/BLANK to stored values as {@link FitsImage.data} describes. */
export function scaleValues(raw: TypedArray, bitpix: number, bscale: number, bzero: number, blank: number | undefined): TypedArray {
  if (bscale === 1 && blank === undefined) {
    if (bzero === 0) return raw;
    if (bitpix === 8 && bzero === -128) return Int8Array.from(raw as Uint8Array, (v) => v - 128);
    if (bitpix === 16 && bzero === 32768) return Uint16Array.from(raw as Int16Array, (v) => v + 32768);
    if (bitpix === 32 && bzero === 2147483648) return Uint32Array.from(raw as Int32Array, (v) => v + 2147483648);
    if (bitpix === 64 && bzero === 9223372036854775808) {
      const r = raw as BigInt64Array;
      return new BigUint64Array(r.buffer, r.byteOffset, r.length).map((v) => v ^ 0x8000000000000000n);
    }
  }
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    if (blank !== undefined && Number(v) === blank) out[i] = NaN;
    else out[i] = bzero + bscale * Number(v);
  }
  return out;
}

/** Decode the image of an IMAGE or primary HDU. */
export function decodeImage(bytes: Uint8Array, hdu: FitsHduLayout): FitsImage {
  const h = hdu.header;
  if (hdu.type !== 'image') throw new FormatError('fits', `HDU ${hdu.index} is a ${hdu.type}, not an image`);
  const bitpix = h.number('BITPIX');
  const naxis = h.number('NAXIS');
  const shape: number[] = [];
  for (let k = naxis; k >= 1; k--) shape.push(h.number(`NAXIS${k}`));
  const count = naxis === 0 ? 0 : shape.reduce((a, b) => a * b, 1);
  const raw = readBigEndian(bytes, hdu.dataStart, count, bitpix);
  const blankValue = bitpix > 0 ? h.get('BLANK') : undefined;
  const blank = typeof blankValue === 'number' ? blankValue : undefined;
  const data = scaleValues(raw, bitpix, h.number('BSCALE', 1), h.number('BZERO', 0), blank);
  return { shape, bitpix, data };
}
