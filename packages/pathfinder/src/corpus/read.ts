import { FormatError, ValueError } from '@astro/core';
import { parseArrow, parseText } from '@astro/core/io';
import type { Corpus, CorpusOptions } from './record.js';
import { normalizeRecords, type RawRecord } from './normalize.js';

/** Corpus file formats the readers understand. */
export type CorpusFormat = 'jsonl' | 'json' | 'csv' | 'tsv' | 'arrow';

const decoder = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Uint8Array | string, format: string, source = 'corpus'): string {
  if (typeof bytes === 'string') return bytes;
  try {
    return decoder.decode(bytes);
  } catch (e) {
    throw new FormatError(format, `${source}: not valid UTF-8 text`, { cause: e });
  }
}

/**
 * Parse JSON Lines (one ADS record object per line; blank lines ignored). Field names as in
 * ADS exports: `bibcode`, `title`, `abstract`, `year`, `citation_count`, `keywords` (array or
 * `;`-separated), `domain_category`; camelCase also works.
 * @throws {FormatError} naming the line of malformed JSON or a line that is not an object.
 */
export function parseJsonl(input: Uint8Array | string, opts: CorpusOptions = {}): Corpus {
  const lines = text(input, 'jsonl', opts.source).split(/\r?\n/);
  const rows: RawRecord[] = [];
  const lineNo: number[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new FormatError('jsonl', `${opts.source ?? 'corpus'}, line ${i + 1}: ${(e as Error).message}`, { cause: e });
    }
    if (!v || typeof v !== 'object' || Array.isArray(v))
      throw new FormatError('jsonl', `${opts.source ?? 'corpus'}, line ${i + 1}: expected a JSON object`);
    rows.push(v as RawRecord);
    lineNo.push(i + 1);
  });
  return normalizeRecords(rows, opts, (i) => `line ${lineNo[i]}`);
}

/** Parse a JSON array of record objects. */
export function parseJsonArray(input: Uint8Array | string, opts: CorpusOptions = {}): Corpus {
  let v: unknown;
  try {
    v = JSON.parse(text(input, 'json', opts.source));
  } catch (e) {
    throw new FormatError('json', `${opts.source ?? 'corpus'}: ${(e as Error).message}`, { cause: e });
  }
  if (!Array.isArray(v)) throw new FormatError('json', `${opts.source ?? 'corpus'}: expected an array of records`);
  return normalizeRecords(v as RawRecord[], opts, (i) => `element ${i}`);
}

/**
 * Parse CSV/TSV with a header line (core's text reader: quoted fields may hold the delimiter
 * and `""`, not newlines). `keywords` is `;`-separated.
 */
export function parseCsv(input: Uint8Array | string, opts: CorpusOptions & { delimiter?: ',' | '\t' } = {}): Corpus {
  const t = parseText(text(input, 'csv', opts.source), { delimiter: opts.delimiter ?? ',', header: true, comment: null });
  const rows: RawRecord[] = [];
  for (let r = 0; r < t.rows; r++) {
    const row: RawRecord = {};
    for (const name of t.names) {
      const col = t.columns[name]!;
      row[name] = Array.isArray(col) ? col[r] : col instanceof BigInt64Array ? String(col[r]) : Number.isNaN(col[r]) ? undefined : col[r];
    }
    rows.push(row);
  }
  return normalizeRecords(rows, opts, (i) => `data row ${i + 1}`);
}

/** Parse Arrow IPC bytes (file or stream format) with one row per record; `keywords` may be a List<Utf8> column. */
export function parseArrowCorpus(input: Uint8Array, opts: CorpusOptions = {}): Corpus {
  let table: ReturnType<typeof parseArrow>;
  try {
    table = parseArrow(input);
  } catch (e) {
    if (e instanceof FormatError && opts.source) throw new FormatError('arrow', `${opts.source}: ${e.message}`, { cause: e });
    throw e;
  }
  const names = table.schema.fields.map((f) => f.name);
  const cols = names.map((n) => table.getChild(n)!);
  const rows: RawRecord[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: RawRecord = {};
    names.forEach((n, c) => (row[n] = cols[c]!.get(r)));
    rows.push(row);
  }
  return normalizeRecords(rows, opts, (i) => `row ${i}`);
}

/** The format a file name implies (`.jsonl`/`.ndjson`, `.json`, `.csv`, `.tsv`, `.arrow`/`.feather`/`.ipc`). */
export function formatFromPath(path: string): CorpusFormat {
  const p = path.toLowerCase();
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson')) return 'jsonl';
  if (p.endsWith('.json')) return 'json';
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.tsv')) return 'tsv';
  if (p.endsWith('.arrow') || p.endsWith('.feather') || p.endsWith('.ipc')) return 'arrow';
  throw new ValueError(
    `cannot tell the corpus format of ${path}: use .jsonl, .json, .csv, .tsv or .arrow (Parquet: convert to Arrow IPC first)`,
  );
}

/** Parse corpus bytes of a known format. */
export function parseCorpus(bytes: Uint8Array, format: CorpusFormat, opts: CorpusOptions = {}): Corpus {
  switch (format) {
    case 'jsonl':
      return parseJsonl(bytes, opts);
    case 'json':
      return parseJsonArray(bytes, opts);
    case 'csv':
      return parseCsv(bytes, opts);
    case 'tsv':
      return parseCsv(bytes, { ...opts, delimiter: '\t' });
    case 'arrow':
      return parseArrowCorpus(bytes, opts);
    default:
      throw new ValueError(`unknown corpus format '${String(format)}'`);
  }
}

/**
 * Read a corpus file (Node). The format comes from the extension unless given.
 * ```ts
 * const { records, report } = await readCorpus('ads-abstracts.jsonl');
 * ```
 */
export async function readCorpus(path: string, opts: CorpusOptions & { format?: CorpusFormat } = {}): Promise<Corpus> {
  const { readFile } = await import('node:fs/promises');
  const format = opts.format ?? formatFromPath(path);
  const bytes = new Uint8Array(await readFile(path));
  return parseCorpus(bytes, format, { ...opts, source: opts.source ?? path });
}
