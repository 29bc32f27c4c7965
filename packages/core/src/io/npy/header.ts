/**
 * The `.npy` header: magic `\x93NUMPY`, version, a little-endian length, then a Python
 * dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`.
 * Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { FormatError } from '../../errors/index.js';
import { decodeLatin1, decodeUtf8, need, shapeSize } from '../bytes.js';
import type { DType } from '../dtype.js';

const F = 'npy';
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** What a `.npy` header says about the array that follows it. */
export interface NpyHeader {
  dtype: DType;
  /** True for big-endian data. */
  bigEndian: boolean;
  /** True when the data is stored column-major (Fortran order). */
  fortranOrder: boolean;
  shape: number[];
  /** Number of elements (product of shape). */
  size: number;
  /** Byte offset of the data. */
  dataStart: number;
  /** The dtype string as written, e.g. `'<f4'`. */
  descr: string;
}

const KINDS: Record<string, DType> = {
  f2: 'F16',
  f4: 'F32',
  f8: 'F64',
  i1: 'I8',
  i2: 'I16',
  i4: 'I32',
  i8: 'I64',
  u1: 'U8',
  u2: 'U16',
  u4: 'U32',
  u8: 'U64',
  b1: 'BOOL',
};

/** Parse and validate the header of a `.npy` file. Throws {@link FormatError} on anything unexpected. */
export function readNpyHeader(bytes: Uint8Array): NpyHeader {
  need(F, bytes, 0, 10, 'magic and header length');
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new FormatError(F, `bad magic at byte ${i}: not a .npy file`);
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new FormatError(F, `unsupported format version ${major}.${bytes[7]} at byte 6`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let start: number;
  let len: number;
  if (major === 1) {
    len = dv.getUint16(8, true);
    start = 10;
  } else {
    need(F, bytes, 0, 12, 'header length');
    len = dv.getUint32(8, true);
    start = 12;
  }
  need(F, bytes, start, len, `header (${len} bytes claimed at byte 8)`);
  const raw = bytes.subarray(start, start + len);
  const text = major === 3 ? decodeUtf8(F, raw, 'header') : decodeLatin1(raw);
  const dict = parseDict(text, start);
  const descr = dict['descr'];
  const fortran = dict['fortran_order'];
  const shape = dict['shape'];
  if (typeof descr !== 'string')
    throw new FormatError(F, `header at byte ${start} has no string 'descr' (structured dtypes are not supported)`);
  if (typeof fortran !== 'boolean') throw new FormatError(F, `header at byte ${start} has no boolean 'fortran_order'`);
  if (!Array.isArray(shape)) throw new FormatError(F, `header at byte ${start} has no 'shape' tuple`);
  const order = descr[0];
  const dtype = KINDS[descr.slice(1)];
  if (!dtype || (order !== '<' && order !== '>' && order !== '|' && order !== '=')) {
    throw new FormatError(F, `unsupported dtype '${descr}' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1)`);
  }
  const size = shapeSize(F, shape, 'header');
  return { dtype, bigEndian: order === '>', fortranOrder: fortran, shape: shape as number[], size, dataStart: start + len, descr };
}

type PyValue = string | boolean | number | PyValue[] | null;

/** Parse the restricted Python literal numpy writes: a dict of str → str | bool | int tuple. */
function parseDict(text: string, base: number): Record<string, PyValue> {
  let i = 0;
  const fail = (msg: string): never => {
    throw new FormatError(F, `header dict at byte ${base + i}: ${msg}`);
  };
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const value = (depth: number): PyValue => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail('unterminated string');
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    if (c === '(' || c === '[') {
      if (depth > 4) fail('nesting too deep');
      const close = c === '(' ? ')' : ']';
      i++;
      const items: PyValue[] = [];
      for (;;) {
        ws();
        if (text[i] === close) {
          i++;
          return items;
        }
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== close) fail(`expected ',' or '${close}'`);
      }
    }
    const m = /^(True|False|None|-?\d+L?)/.exec(text.slice(i, i + 32));
    if (!m) return fail(`unexpected ${JSON.stringify(text.slice(i, i + 10))}`);
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0].replace('L', ''));
  };
  ws();
  if (text[i] !== '{') fail("expected '{'");
  i++;
  const out: Record<string, PyValue> = {};
  for (;;) {
    ws();
    if (text[i] === '}') break;
    const k = value(0);
    if (typeof k !== 'string') fail('dict key is not a string');
    ws();
    if (text[i] !== ':') fail("expected ':'");
    i++;
    const v = value(0);
    Object.defineProperty(out, k as string, { value: v, enumerable: true });
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') fail("expected ',' or '}'");
  }
  return out;
}
