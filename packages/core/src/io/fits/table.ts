/**
 * FITS binary tables (FITS Standard 4.0, §7.3): fixed-width big-endian rows described by
 * TFORMn = rT (repeat r, type L X B I J K A E D C M, or P/Q variable-length descriptors
 * into the heap), with TSCALn/TZEROn scaling, TNULLn nulls, TTYPEn names and TUNITn units.
 */
import { FormatError } from '../../errors/index.js';
import { decodeLatin1, type TypedArray } from '../bytes.js';
import type { FitsHduLayout } from './hdu.js';
import { readBigEndian, scaleValues } from './image.js';

const F = 'fits';

/** One decoded column. */
export interface FitsColumn {
  name: string;
  /** The TFORM as written, e.g. `'3J'`, `'1PE(100)'`. */
  form: string;
  unit?: string;
  /** Elements per row (`[]` for scalars, `[r]` for a repeat count, or TDIM's shape). Empty for strings and variable-length columns. */
  shape: number[];
  /**
   * The values: a typed array of `rows × elements` for numeric columns (L as 0/1 Uint8Array,
   * X as packed bytes, C/M as interleaved real/imaginary), `string[]` for A, and one typed
   * array per row for P/Q variable-length columns. Scaling follows {@link FitsImage.data}.
   */
  data: TypedArray | string[] | TypedArray[];
}

/** A decoded binary table. */
export interface FitsTable {
  rows: number;
  columns: FitsColumn[];
}

interface Form {
  repeat: number;
  type: string;
  /** For P/Q: the element type in the heap. */
  heapType?: string;
  width: number;
}

const ELEMENT: Record<string, { size: number; bitpix?: number }> = {
  L: { size: 1 },
  X: { size: 1 },
  B: { size: 1, bitpix: 8 },
  I: { size: 2, bitpix: 16 },
  J: { size: 4, bitpix: 32 },
  K: { size: 8, bitpix: 64 },
  A: { size: 1 },
  E: { size: 4, bitpix: -32 },
  D: { size: 8, bitpix: -64 },
  C: { size: 8, bitpix: -32 },
  M: { size: 16, bitpix: -64 },
  P: { size: 8 },
  Q: { size: 16 },
};

function parseForm(tform: string, col: number): Form {
  const m = /^\s*(\d*)([LXBIJKAEDCMPQ])([LXBIJKAEDCM])?(\(\d*\))?/.exec(tform.toUpperCase());
  if (!m) throw new FormatError(F, `column ${col}: unsupported TFORM '${tform}'`);
  const repeat = m[1] ? Number(m[1]) : 1;
  const type = m[2]!;
  if (!Number.isSafeInteger(repeat)) throw new FormatError(F, `column ${col}: bad repeat in TFORM '${tform}'`);
  if ((type === 'P' || type === 'Q') && !m[3]) throw new FormatError(F, `column ${col}: TFORM '${tform}' lacks the heap element type`);
  const width = type === 'X' ? Math.ceil(repeat / 8) : repeat * ELEMENT[type]!.size;
  return m[3] ? { repeat, type, heapType: m[3], width } : { repeat, type, width };
}

/** Decode every column of a BINTABLE HDU. */
export function decodeTable(bytes: Uint8Array, hdu: FitsHduLayout): FitsTable {
  const h = hdu.header;
  if (hdu.type !== 'bintable') throw new FormatError(F, `HDU ${hdu.index} is a ${hdu.type}, not a binary table`);
  const rowBytes = h.number('NAXIS1');
  const rows = h.number('NAXIS2');
  const tfields = h.number('TFIELDS');
  if (!Number.isInteger(tfields) || tfields < 0 || tfields > 999) throw new FormatError(F, `HDU ${hdu.index}: invalid TFIELDS ${tfields}`);
  const mainBytes = rowBytes * rows;
  const theap = h.number('THEAP', mainBytes);
  const heapEnd = hdu.dataLength;
  if (!Number.isSafeInteger(theap) || theap < mainBytes || theap > heapEnd) {
    throw new FormatError(F, `HDU ${hdu.index}: THEAP ${theap} lies outside the data (${mainBytes}..${heapEnd})`);
  }
  const columns: FitsColumn[] = [];
  let offset = 0;
  for (let c = 1; c <= tfields; c++) {
    const tform = h.string(`TFORM${c}`);
    if (tform === undefined) throw new FormatError(F, `HDU ${hdu.index}: TFORM${c} is missing`);
    const form = parseForm(tform, c);
    if (offset + form.width > rowBytes) {
      throw new FormatError(F, `HDU ${hdu.index}: column ${c} (${tform}) ends at byte ${offset + form.width} of a ${rowBytes}-byte row`);
    }
    const name = h.string(`TTYPE${c}`) ?? `COL${c}`;
    const unit = h.string(`TUNIT${c}`);
    const ctx: ColumnContext = {
      bytes,
      start: hdu.dataStart,
      rows,
      rowBytes,
      offset,
      heapStart: hdu.dataStart + theap,
      heapEnd: hdu.dataStart + heapEnd,
      hdu: hdu.index,
      col: c,
    };
    const scale = h.number(`TSCAL${c}`, 1);
    const zero = h.number(`TZERO${c}`, 0);
    const tnull = h.get(`TNULL${c}`);
    const nul = typeof tnull === 'number' ? tnull : undefined;
    let data: FitsColumn['data'];
    let shape: number[] = form.repeat === 1 ? [] : [form.repeat];
    if (form.type === 'A') {
      data = readStrings(ctx, form.repeat);
      shape = [];
    } else if (form.type === 'P' || form.type === 'Q') {
      data = readVarLength(ctx, form, scale, zero, nul);
      shape = [];
    } else {
      data = readFixed(ctx, form, scale, zero, nul);
      const tdim = h.string(`TDIM${c}`);
      if (tdim) shape = parseTdim(tdim, form.repeat, hdu.index, c) ?? shape;
    }
    columns.push(unit ? { name, form: tform, unit, shape, data } : { name, form: tform, shape, data });
    offset += form.width;
  }
  return { rows, columns };
}

interface ColumnContext {
  bytes: Uint8Array;
  start: number;
  rows: number;
  rowBytes: number;
  offset: number;
  heapStart: number;
  heapEnd: number;
  hdu: number;
  col: number;
}

/** Gather the column's bytes from every row into one contiguous buffer. */
function gather(ctx: ColumnContext, width: number): Uint8Array {
  const out = new Uint8Array(ctx.rows * width);
  const src = ctx.bytes;
  if (width <= 32) {
    // Narrow columns: a byte loop beats creating a subarray per row.
    for (let r = 0, o = 0; r < ctx.rows; r++) {
      const p = ctx.start + r * ctx.rowBytes + ctx.offset;
      for (let k = 0; k < width; k++) out[o++] = src[p + k]!;
    }
    return out;
  }
  for (let r = 0; r < ctx.rows; r++) {
    const p = ctx.start + r * ctx.rowBytes + ctx.offset;
    out.set(src.subarray(p, p + width), r * width);
  }
  return out;
}

function readFixed(ctx: ColumnContext, form: Form, scale: number, zero: number, nul: number | undefined): TypedArray {
  const raw = gather(ctx, form.width);
  if (form.type === 'L') return raw.map((v) => (v === 0x54 ? 1 : 0));
  if (form.type === 'X') return raw;
  const el = ELEMENT[form.type]!;
  const count = (ctx.rows * form.width) / (Math.abs(el.bitpix!) / 8);
  const values = readBigEndian(raw, 0, count, el.bitpix!);
  return el.bitpix! > 0
    ? scaleValues(values, el.bitpix!, scale, zero, nul)
    : scale === 1 && zero === 0
      ? values
      : scaleValues(values, el.bitpix!, scale, zero, undefined);
}

function readStrings(ctx: ColumnContext, width: number): string[] {
  const out: string[] = new Array(ctx.rows);
  for (let r = 0; r < ctx.rows; r++) {
    const p = ctx.start + r * ctx.rowBytes + ctx.offset;
    let s = decodeLatin1(ctx.bytes.subarray(p, p + width));
    const nul = s.indexOf('\0');
    if (nul >= 0) s = s.slice(0, nul);
    out[r] = s.trimEnd();
  }
  return out;
}

function readVarLength(ctx: ColumnContext, form: Form, scale: number, zero: number, nul: number | undefined): TypedArray[] {
  const q = form.type === 'Q';
  const desc = readBigEndian(gather(ctx, form.width), 0, ctx.rows * form.repeat * 2, q ? 64 : 32);
  const el = ELEMENT[form.heapType!]!;
  const out: TypedArray[] = new Array(ctx.rows);
  for (let r = 0; r < ctx.rows; r++) {
    // Only the first descriptor of each row is used (repeat is 0 or 1 in practice).
    const count = Number(desc[r * form.repeat * 2] ?? 0);
    const off = Number(desc[r * form.repeat * 2 + 1] ?? 0);
    const width = form.heapType === 'X' ? Math.ceil(count / 8) : count * el.size;
    const at = ctx.heapStart + off;
    if (count < 0 || off < 0 || !Number.isSafeInteger(at + width) || at + width > ctx.heapEnd) {
      throw new FormatError(
        F,
        `HDU ${ctx.hdu} column ${ctx.col} row ${r}: descriptor (${count} elements at heap byte ${off}) points outside the heap`,
      );
    }
    const slice = ctx.bytes.subarray(at, at + width);
    if (form.heapType === 'L') out[r] = slice.map((v) => (v === 0x54 ? 1 : 0));
    else if (form.heapType === 'X' || form.heapType === 'A') out[r] = slice.slice();
    else {
      const values = readBigEndian(slice, 0, width / (Math.abs(el.bitpix!) / 8), el.bitpix!);
      out[r] =
        scale === 1 && zero === 0 && nul === undefined
          ? values
          : scaleValues(values, el.bitpix!, scale, zero, el.bitpix! > 0 ? nul : undefined);
    }
  }
  return out;
}

function parseTdim(tdim: string, repeat: number, hdu: number, col: number): number[] | undefined {
  const m = /^\s*\(([\d\s,]+)\)\s*$/.exec(tdim);
  if (!m) return undefined;
  const dims = m[1]!.split(',').map((s) => Number(s.trim()));
  if (dims.reduce((a, b) => a * b, 1) !== repeat) {
    throw new FormatError(F, `HDU ${hdu} column ${col}: TDIM ${tdim} does not match repeat ${repeat}`);
  }
  return dims.reverse();
}
