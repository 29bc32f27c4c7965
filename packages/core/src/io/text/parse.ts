/**
 * Delimited text tables: CSV (RFC 4180 quoting), tab-, pipe- or whitespace-separated
 * columns, with comment lines, as SDSS photometry, Kepler light curves, pySYD results and
 * Gaia archive CSVs are published.
 */
import { FormatError } from '../../errors/index.js';
import { decodeUtf8 } from '../bytes.js';
import { readBytes } from '../node.js';

/** Field separator; `'auto'` picks `,` or `|` when the first data line has one, tab when it has tabs and no spaces, else whitespace. */
export type TextDelimiter = 'auto' | ',' | '\t' | '|' | ';' | 'whitespace';

/** Options for {@link parseText}. */
export interface TextTableOptions {
  delimiter?: TextDelimiter;
  /** Lines starting with this (after leading blanks) are skipped; default `'#'`; `null` disables. */
  comment?: string | null;
  /**
   * Column names: `true` takes them from the first non-comment line, `false` names columns
   * `col1…colN`, an array gives them; `'auto'` (default) uses the first line when any of its
   * fields is not a number.
   */
  header?: 'auto' | boolean | readonly string[];
  /** Lines to skip before anything else (default 0). */
  skipLines?: number;
}

/**
 * A parsed text table. Numeric columns are Float64Array (empty fields → NaN); integer columns
 * holding a value beyond 2^53 (Gaia `source_id`, SDSS `objid`), which a float64 would round,
 * are BigInt64Array with every digit kept; others are string[].
 */
export interface TextTable {
  names: string[];
  rows: number;
  columns: Record<string, Float64Array | BigInt64Array | string[]>;
}

const INTEGER = /^[+-]?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The exact 64-bit column when every field is an integer literal and one is beyond 2^53; else undefined. */
function exactIntegers(col: string[], nums: Float64Array): BigInt64Array | undefined {
  let unsafe = false;
  for (let r = 0; r < nums.length; r++) {
    if (!Number.isSafeInteger(nums[r]!)) {
      if (!Number.isFinite(nums[r]!) || !INTEGER.test(col[r]!.trim())) return undefined;
      unsafe = true;
    }
  }
  if (!unsafe) return undefined;
  const out = new BigInt64Array(nums.length);
  for (let r = 0; r < nums.length; r++) {
    const t = col[r]!.trim();
    if (!INTEGER.test(t)) return undefined;
    const v = BigInt(t);
    if (v < INT64_MIN || v > INT64_MAX) return undefined;
    out[r] = v;
  }
  return out;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[EeDd][+-]?\d+)?$|^[+-]?(?:inf|infinity|nan)$/i;

/** Parse one field as a number, or `undefined` when it is not numeric. Empty fields are NaN. */
function toNumber(s: string): number | undefined {
  const v = Number(s);
  if (!Number.isNaN(v)) {
    const t = s.trim();
    if (t === '') return NaN;
    // Number() also reads hex/binary/octal literals ("0x1A"), which are not numbers in a table.
    const c = t.charCodeAt(t[0] === '-' || t[0] === '+' ? 2 : 1) | 0x20;
    if (t.length > 1 && (c === 0x78 || c === 0x62 || c === 0x6f) && !/^[+-]?\d*\.?\d*e/i.test(t)) return undefined;
    return v;
  }
  const t = s.trim();
  if (!NUMBER.test(t)) return undefined;
  const l = t.toLowerCase();
  if (l.endsWith('nan')) return NaN;
  if (l.endsWith('inf') || l.endsWith('infinity')) return l.startsWith('-') ? -Infinity : Infinity;
  return Number(t.replace(/[Dd]/, 'E'));
}

/** Split one line into fields. Quoted CSV fields may contain the delimiter and `""` escapes. */
function splitLine(line: string, delim: Exclude<TextDelimiter, 'auto'>, lineNo: number): string[] {
  if (delim === 'whitespace') return line.trim().split(/\s+/);
  if (!line.includes('"')) return line.split(delim).map((f) => (delim === '|' ? f.trim() : f));
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new FormatError('text', `line ${lineNo}: unterminated quoted field at column ${i}`);
        s += line.slice(i, q);
        if (line[q + 1] === '"') {
          s += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(s);
      if (i >= line.length) return out;
      if (line[i] !== delim) throw new FormatError('text', `line ${lineNo}: unexpected text after a quoted field at column ${i}`);
      i++;
    } else {
      const d = line.indexOf(delim, i);
      out.push(d < 0 ? line.slice(i) : line.slice(i, d));
      if (d < 0) return out;
      i = d + 1;
    }
  }
}

/**
 * Parse a delimited text table from a string or UTF-8 bytes (browser-safe). Every data line
 * must have as many fields as the header; a ragged line throws {@link FormatError} with its
 * line number.
 */
export function parseText(input: string | Uint8Array, opts: TextTableOptions = {}): TextTable {
  const text = typeof input === 'string' ? input : decodeUtf8('text', input, 'text');
  const comment = opts.comment === undefined ? '#' : opts.comment;
  const lines = text.split(/\r?\n/);
  const data: { line: string; no: number }[] = [];
  for (let i = opts.skipLines ?? 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trimStart();
    if (t === '' || (comment && t.startsWith(comment))) continue;
    data.push({ line, no: i + 1 });
  }
  if (data.length === 0) return { names: Array.isArray(opts.header) ? [...opts.header] : [], rows: 0, columns: {} };
  let delim = opts.delimiter ?? 'auto';
  if (delim === 'auto') {
    const probe = data[Math.min(1, data.length - 1)]!.line;
    const tabs = probe.includes('\t') && !probe.trim().includes(' ');
    delim = probe.includes(',') ? ',' : probe.includes('|') ? '|' : tabs ? '\t' : 'whitespace';
  }
  const d = delim;
  const first = splitLine(data[0]!.line, d, data[0]!.no);
  let names: string[];
  let start = 0;
  const header = opts.header ?? 'auto';
  if (Array.isArray(header)) names = [...(header as readonly string[])];
  else if (header === true || (header === 'auto' && first.some((f) => toNumber(f) === undefined))) {
    names = first.map((f) => f.trim());
    start = 1;
  } else names = first.map((_, i) => `col${i + 1}`);
  const seen = new Set<string>();
  names = names.map((n, i) => {
    let name = n === '' ? `col${i + 1}` : n;
    while (seen.has(name)) name += '_';
    seen.add(name);
    return name;
  });
  const nCols = names.length;
  const rows = data.length - start;
  const fields: string[][] = names.map(() => new Array<string>(rows));
  for (let r = 0; r < rows; r++) {
    const { line, no } = data[start + r]!;
    const f = splitLine(line, d, no);
    if (f.length !== nCols)
      throw new FormatError(
        'text',
        `line ${no} has ${f.length} fields, expected ${nCols} (${names.slice(0, 6).join(', ')}${nCols > 6 ? ', …' : ''})`,
      );
    for (let c = 0; c < nCols; c++) fields[c]![r] = f[c]!;
  }
  const columns: Record<string, Float64Array | BigInt64Array | string[]> = {};
  names.forEach((name, c) => {
    const col = fields[c]!;
    const nums = new Float64Array(rows);
    let numeric = true;
    for (let r = 0; r < rows; r++) {
      const v = toNumber(col[r]!);
      if (v === undefined) {
        numeric = false;
        break;
      }
      nums[r] = v;
    }
    const value = numeric ? (exactIntegers(col, nums) ?? nums) : col.map((s) => s.trim());
    Object.defineProperty(columns, name, { value, enumerable: true });
  });
  return { names, rows, columns };
}

/** The numeric column `name` of a text table; {@link FormatError} when absent or not numeric. */
export function numericColumn(table: TextTable, name: string): Float64Array {
  const c = Object.prototype.hasOwnProperty.call(table.columns, name) ? table.columns[name] : undefined;
  if (c === undefined) throw new FormatError('text', `no column '${name}' (columns: ${table.names.join(', ')})`);
  if (c instanceof BigInt64Array) {
    throw new FormatError(
      'text',
      `column '${name}' holds integers beyond 2^53 (an ID?) that a float64 would round; read table.columns['${name}'] (a BigInt64Array)`,
    );
  }
  if (!(c instanceof Float64Array)) throw new FormatError('text', `column '${name}' is not numeric`);
  return c;
}

/** Read and parse a text table file (Node only). */
export async function readText(path: string, opts: TextTableOptions = {}): Promise<TextTable> {
  return parseText(await readBytes(path), opts);
}
