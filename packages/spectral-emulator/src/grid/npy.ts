import { FormatError } from '@astro/core';

/**
 * A minimal `.npy` reader for the float/bool arrays of the shared spectral grids
 * (little-endian `<f4`, `<f8`, `|b1`, C order). Sizes in the header are checked against the
 * file length. Local stop-gap until `@astro/core/io` exports its general reader.
 */
export interface NpyFloat {
  shape: number[];
  /** Row-major values, widened to float64 (bools become 0/1). */
  data: Float64Array;
  /** Stored dtype descriptor, e.g. `'<f4'`. */
  descr: string;
}

/** Parse `.npy` bytes; throws {@link FormatError} on anything but `<f4`, `<f8`, `|b1` in C order. */
export function parseNpyFloat(bytes: Uint8Array): NpyFloat {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((m, i) => bytes[i] !== m)) throw new FormatError('npy', 'missing \\x93NUMPY magic');
  const major = bytes[6]!;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + hlen > bytes.length) throw new FormatError('npy', `header claims ${hlen} bytes but the file has ${bytes.length}`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new FormatError('npy', `unreadable header ${header}`);
  if (fortran === 'True') throw new FormatError('npy', 'Fortran-order arrays are not supported by this reader');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const size = shape.reduce((a, b) => a * b, 1);
  const item = descr === '<f8' ? 8 : descr === '<f4' ? 4 : descr === '|b1' ? 1 : 0;
  if (!item) throw new FormatError('npy', `dtype ${descr} is not supported (expected <f4, <f8 or |b1)`);
  const off = start + hlen;
  if (off + size * item !== bytes.length) {
    throw new FormatError('npy', `${descr}[${shape}] needs ${size * item} data bytes, file has ${bytes.length - off}`);
  }
  const data = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const p = off + i * item;
    data[i] = item === 8 ? dv.getFloat64(p, true) : item === 4 ? dv.getFloat32(p, true) : bytes[p]!;
  }
  return { shape, data, descr };
}

/** Read a `.npy` file (Node only). */
export async function readNpyFloat(path: string): Promise<NpyFloat> {
  const fs = await import('node:fs/promises');
  return parseNpyFloat(new Uint8Array(await fs.readFile(path)));
}
