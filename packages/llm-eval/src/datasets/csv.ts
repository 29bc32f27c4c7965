import { DatasetError } from './errors.js';
import { assertUniqueIds, toMcqItem } from './mcq.js';
import type { McqItem } from './types.js';
import { collect, type OnInvalid } from './records.js';

/** Split CSV text into rows of fields (RFC 4180: quoted fields, doubled quotes, CRLF). */
export function parseCsvRows(text: string, source = 'csv'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
      line++;
    } else field += c;
    i++;
  }
  if (quoted) throw new DatasetError(source, `line ${line}`, 'unterminated quoted field');
  row.push(field);
  if (row.length > 1 || row[0] !== '') rows.push(row);
  return rows;
}

/**
 * Parse MMLU-style CSV: `question, A, B, C, D, answer` where the answer is a letter (`'C'`)
 * or a 0-based index (`2`), as in the original MMLU release (no header) and in
 * Hugging Face exports (a header row whose first cell is `question` is skipped). An optional
 * seventh column is taken as the topic; otherwise `topic` (e.g. the file's subject) is used.
 */
export function parseMmluCsv(text: string, options: { source?: string; topic?: string; onInvalid?: OnInvalid } = {}): McqItem[] {
  const source = options.source ?? 'csv';
  let rows = parseCsvRows(text, source);
  if (rows[0] && rows[0][0]?.trim().toLowerCase() === 'question') rows = rows.slice(1);
  const records = rows.map((value, i) => ({ value, position: i + 1 }));
  const items = collect(
    records,
    (v, pos) => {
      const r = v as string[];
      const id = `${pos}`;
      if (r.length < 6) throw new DatasetError(source, `row ${id}`, `has ${r.length} columns; expected question, 4 options and answer`);
      const topic = r[6] ?? options.topic;
      return toMcqItem({ id, question: r[0], choices: r.slice(1, 5), answer: r[5], topic }, source);
    },
    options.onInvalid,
  );
  assertUniqueIds(items, source);
  return items;
}
